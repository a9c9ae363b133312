package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptTuning;

/** Loss and accuracy on cases computed by hand; the result does not depend on the batch size. */
class EvaluatorTest {
  /** A classifier that ignores its input: zero weights, bias [0, ln 3, 0], so p = [1/5, 3/5, 1/5] everywhere. */
  @Test
  void classificationLossAndAccuracyByHand() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    m.parameters().get("classifier.weight").fill(0);
    Tensor bias = m.parameters().get("classifier.bias");
    bias.setFlat(1, Math.log(3));
    int[] labels = {1, 1, 0, 2, 1};
    List<Example> ex = new java.util.ArrayList<>();
    for (int i = 0; i < labels.length; i++) ex.add(Example.ofTokens(new int[] {1, 5 + i, 9, 2}, labels[i]));
    Dataset data = Dataset.of("hand", ex);
    double loss = (3 * Math.log(5.0 / 3) + 2 * Math.log(5)) / 5;
    for (int batch : new int[] {1, 2, 5}) {
      Metrics r = Evaluator.evaluate(TunedModel.of(m), data, Task.CLASSIFICATION, batch, 0);
      assertEquals(loss, r.loss(), 1e-14, "batch " + batch);
      assertEquals(3.0 / 5, r.accuracy(), "batch " + batch);
      assertEquals(5, r.n());
    }
  }

  /**
   * An LM head with zero weights and bias ln(j + 1): every position predicts id j with probability (j + 1)/1275,
   * so a next token y costs ln 1275 − ln(y + 1) and only y = 49 is a hit. Loss and accuracy are per scored token.
   */
  @Test
  void languageModelLossIsPerScoredToken() {
    Transformer gpt = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    gpt.parameters().get("lm_head.weight").fill(0);
    Tensor bias = gpt.parameters().get("lm_head.bias");
    for (int j = 0; j < 50; j++) bias.setFlat(j, Math.log(j + 1));
    int[][] seqs = {{3, 4}, {10, 11, 12, 13, 14}, {48, 49}};
    List<Example> ex = new java.util.ArrayList<>();
    double sum = 0;
    int scored = 0;
    for (int[] s : seqs) {
      ex.add(Example.ofTokens(s, Target.None.INSTANCE));
      for (int i = 1; i < s.length; i++) {
        sum += Math.log(1275) - Math.log(s[i] + 1);
        scored++;
      }
    }
    Dataset data = Dataset.of("lm", ex);
    for (int batch : new int[] {1, 2, 3}) {
      Metrics r = Evaluator.evaluate(TunedModel.of(gpt), data, Task.LANGUAGE_MODELLING, batch, 0);
      assertEquals(sum / scored, r.loss(), 1e-12, "batch " + batch);
      assertEquals(1.0 / scored, r.accuracy(), 1e-15, "batch " + batch);
    }
  }

  /** Per-position MSE over every real position of the data, whatever the batching, with a prompt attached. */
  @Test
  void sequenceRegressionLossIsTheMeanOverRealPositions() {
    TrainFixtures.Run r = TrainFixtures.paperPrompt(TrainerConfig.defaults(), 7); // lengths 2, 3, 4, 2, …
    TunedModel tuned = r.tuned();
    double sum = 0;
    long count = 0;
    for (Example e : r.train().examples()) {
      int len = e.length();
      Tensor x = Tensor.zeros(DType.F64, 1, len, 8);
      for (int t = 0; t < len; t++) for (int j = 0; j < 8; j++) x.setFlat(t * 8 + j, e.inputs()[t][j]);
      Tensor y = tuned.forward(ModelInput.ofVectors(x), ForwardMode.EVAL);
      double[] target = ((Target.PerPosition) e.target()).values();
      for (int i = 0; i < target.length; i++) sum += Math.pow(y.getFlat(i) - target[i], 2);
      count += target.length;
    }
    assertTrue(tuned.methods().get(0) instanceof PromptTuning);
    for (int batch : new int[] {1, 3, 7}) {
      Metrics m = Evaluator.evaluate(tuned, r.train(), Task.SEQUENCE_REGRESSION, batch, 0);
      assertEquals(sum / count, m.loss(), 1e-12 * sum / count, "batch " + batch);
      assertTrue(Double.isNaN(m.accuracy()));
    }
  }
}
