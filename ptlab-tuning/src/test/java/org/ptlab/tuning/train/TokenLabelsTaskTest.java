package org.ptlab.tuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;

/** Causal-LM data with per-token labels: the loss and accuracy count the scored tokens only. */
class TokenLabelsTaskTest {
  private static final int[][] SEQS = {{3, 7, 12, 33, 5}, {4, 40, 3}};

  private static Dataset data(boolean labelled, int[][] labels) {
    Example a = labelled ? Example.ofTokens(SEQS[0], new Target.TokenLabels(labels[0])) : Example.ofTokens(SEQS[0], -1);
    Example b = labelled ? Example.ofTokens(SEQS[1], new Target.TokenLabels(labels[1])) : Example.ofTokens(SEQS[1], -1);
    return Dataset.of("lm", List.of(a, b));
  }

  private static Batch batch(Dataset d) {
    return new Batcher(d, BatchConfig.inOrder(2).withDType(DType.F64)).batch(org.ptlab.tuning.batch.BatchPosition.START);
  }

  /** Labels equal to the tokens score what token-only data scores: the same numbers, bit for bit. */
  @Test
  void labelsEqualToTheTokensGiveTheTokenOnlyNumbers() {
    Transformer m = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    TunedModel t = TunedModel.of(m);
    Dataset plain = data(false, null);
    Dataset same = data(true, new int[][] {SEQS[0].clone(), SEQS[1].clone()});
    Task task = Task.of(m.config().head(), same);
    assertEquals(Task.LANGUAGE_MODELLING, task);
    Metrics a = Evaluator.evaluate(t, plain, task, 2, 0);
    Metrics b = Evaluator.evaluate(t, same, task, 2, 0);
    assertEquals(Double.doubleToLongBits(a.loss()), Double.doubleToLongBits(b.loss()));
    assertEquals(a.accuracy(), b.accuracy());
    assertEquals(6, task.terms(batch(same)));
  }

  /** With -100 on the prompt, the loss is the mean of −log p(label) over the scored positions alone. */
  @Test
  void maskedPositionsAreLeftOut() {
    Transformer m = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    int[][] labels = {{-100, -100, -100, 33, 5}, {-100, -100, 3}};
    Dataset d = data(true, labels);
    Batch batch = batch(d);
    Task task = Task.LANGUAGE_MODELLING;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor logits = m.forward(Task.input(batch), org.ptlab.nn.ForwardHooks.NONE, ForwardMode.EVAL); // [2, 5, V]
      Tensor logp = logits.logSoftmax(2);
      int v = logits.dim(2);
      // scored: sequence 0 predicts 33 at position 2 and 5 at 3; sequence 1 predicts 3 at position 1
      double expected = -(logp.getFlat((2) * v + 33) + logp.getFlat((3) * v + 5) + logp.getFlat((5 + 1) * v + 3)) / 3;
      assertEquals(expected, task.loss(logits, batch).item(), 1e-12);
      assertEquals(3, task.terms(batch));
      assertEquals(3, task.hits(logits, batch)[1]);
      int[][] padded = batch.tokenLabels();
      assertArrayEquals(new int[] {-100, -100, 3, -100, -100}, padded[1]); // padding is ignored
    }
  }
}
