package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.ModulesToSave;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import org.ptlab.tuning.train.StepConstraint;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/**
 * Norm-constrained prompt tuning: after every projection the certified R̂ and the true largest prompt-involved
 * layer-1 score are ≤ R_max; the projection is the identity on feasible prompts, idempotent and deterministic;
 * training under it still learns; models that normalize the prompt are refused with their bound.
 */
class PromptNormConstraintTest {
  static TunedModel paperPrompt(long seed, double initScale) {
    Transformer m = Transformer.create(Presets.paper(8, 16), new Rng(5));
    return TunedModel.of(m, PromptTuning.create(new PromptTuningConfig(4, PromptInit.RANDOM, initScale, null, null, 0,
        0, null), m, new Rng(seed)));
  }

  /** n sequences of 3..6 vectors in R^8, N(0, 1); per-position targets from {@code teacher} (or zeros). */
  static Dataset vectors(int n, long seed, TunedModel teacher) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 3 + i % 4;
      double[][] rows = new double[len][8];
      double[] flat = new double[len * 8];
      for (int t = 0; t < len; t++) for (int j = 0; j < 8; j++) flat[t * 8 + j] = rows[t][j] = rng.nextGaussian();
      double[] y = new double[len * 8];
      if (teacher != null) {
        try (var g = org.ptlab.tensor.GradMode.noGrad()) {
          y = teacher.forward(org.ptlab.nn.ModelInput.ofVectors(Tensor.of(flat, 1, len, 8)), org.ptlab.nn.ForwardMode.EVAL)
              .toDoubleArray();
        }
      }
      out.add(Example.ofInputs(rows, new Target.PerPosition(y, len, 8)));
    }
    return Dataset.of("vectors", out);
  }

  static long[] bits(Tensor t) {
    long[] b = new long[t.numel()];
    for (int i = 0; i < b.length; i++) b[i] = Double.doubleToRawLongBits(t.getFlat(i));
    return b;
  }

  @Test
  void projectionMeetsTheBoundIsTheIdentityWhenFeasibleAndIdempotent() {
    TunedModel tuned = paperPrompt(1, 3.0); // a large prompt: R well above 1
    Dataset data = vectors(24, 2, null);
    PromptNormConstraint c = PromptNormConstraint.calibrate(tuned, List.of(data), 1.0, 8, 0);
    Tensor p = ((PromptTuning) tuned.methods().get(0)).prompt();
    double before = PromptNormConstraint.measure(tuned, List.of(data), 8, 0)[0];
    assertTrue(c.range(p) >= before && before > 1, "R̂ bounds the true range, which starts above R_max: " + before);
    c.project(p);
    double r = c.range(p);
    double measured = PromptNormConstraint.measure(tuned, List.of(data), 8, 0)[0];
    assertTrue(r <= 1.0 && r > 0.999, "R̂ after projection " + r); // on the boundary: bisection to 2^-60
    assertTrue(measured <= 1.0, "true prompt-involved range " + measured);
    long[] once = bits(p);
    c.project(p);
    assertArrayEquals(once, bits(p), "idempotent");
    assertEquals(1, c.changed());
    TunedModel small = paperPrompt(3, 0.05);
    PromptNormConstraint loose = PromptNormConstraint.calibrate(small, List.of(data), 1.0, 8, 0);
    Tensor q = ((PromptTuning) small.methods().get(0)).prompt();
    long[] orig = bits(q);
    assertTrue(loose.range(q) <= 1.0);
    loose.project(q);
    assertArrayEquals(orig, bits(q), "identity on a feasible prompt");
    assertEquals(0, loose.changed());
  }

  /** A constraint that projects, then measures the true range over the data after every step. */
  static final class Measured implements StepConstraint {
    final PromptNormConstraint inner;
    final TunedModel tuned;
    final Dataset data;
    double worst;

    Measured(PromptNormConstraint inner, TunedModel tuned, Dataset data) {
      this.inner = inner;
      this.tuned = tuned;
      this.data = data;
    }

    @Override
    public void project(Map<String, Tensor> trainable) {
      inner.project(trainable);
      worst = Math.max(worst, PromptNormConstraint.measure(tuned, List.of(data), 8, 0)[0]);
    }

    @Override
    public String describe() {
      return inner.describe();
    }
  }

  @Test
  void constrainedTrainingKeepsRBelowRMaxAtEveryStepStillLearnsAndIsDeterministic() throws IOException {
    TunedModel teacher = paperPrompt(9, 0.6);
    Dataset data = vectors(32, 4, teacher);
    double teacherRange = PromptNormConstraint.calibrate(teacher, List.of(data), 1e9, 8, 0)
        .range(((PromptTuning) teacher.methods().get(0)).prompt());
    double rMax = 1.2 * teacherRange; // the teacher's prompt is feasible; the student starts far outside
    long[][] finals = new long[2][];
    for (int run = 0; run < 2; run++) {
      TunedModel tuned = paperPrompt(1, 2.0);
      PromptNormConstraint c = PromptNormConstraint.calibrate(tuned, List.of(data), rMax, 8, 0);
      Measured m = new Measured(c, tuned, data);
      TrainerConfig cfg = TrainerConfig.defaults().withLr(0.02).withEpochs(15).withBatch(8).withSeed(1);
      TrainResult res = new Trainer(tuned, Task.SEQUENCE_REGRESSION, cfg, 0).constrainWith(m).fit(data, null);
      assertTrue(m.worst <= rMax, "true range after some step " + m.worst + " > " + rMax);
      assertTrue(c.maxRangeAfter() <= rMax && c.maxRangeBefore() > rMax, c.maxRangeBefore() + " " + c.maxRangeAfter());
      assertTrue(c.changed() > 0 && c.calls() == res.steps() + 1);
      double first = res.history().get(0).trainLoss();
      double last = res.history().get(res.history().size() - 1).trainLoss();
      assertTrue(last < 0.5 * first, "learns: epoch loss " + first + " -> " + last);
      finals[run] = bits(((PromptTuning) tuned.methods().get(0)).prompt());
    }
    assertArrayEquals(finals[0], finals[1], "same seed and data: same bits");
  }

  static TransformerConfig bertShaped(boolean embeddingNorm) {
    return ConfigJson.withOverrides(Presets.bert(), Map.of("vocabSize", "40", "dModel", "16", "layers", "1",
        "heads", "2", "headSize", "8", "mlpHidden", "32", "maxPositions", "32", "embeddingNorm",
        Boolean.toString(embeddingNorm)));
  }

  static Dataset tokens(int n, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] ids = new int[3 + rng.nextInt(6)];
      for (int t = 0; t < ids.length; t++) ids[t] = 1 + rng.nextInt(39);
      out.add(Example.ofTokens(ids, i % 2));
    }
    return Dataset.of("tokens", out);
  }

  @Test
  void float32PostLnModelWithPositionsAndBiasesAfterTheFirstToken() {
    TransformerConfig cfg = bertShaped(false).withHead(TransformerConfig.Head.CLASSIFY, TransformerConfig.Pooling.MEAN,
        2);
    Transformer m = Transformer.create(cfg, new Rng(7));
    for (String b : new String[] {"query", "key"}) { // non-zero biases: the prompt rows' fixed parts matter
      Tensor bias = m.parameters().get("encoder.layer.0.attention.self." + b + ".bias");
      for (int i = 0; i < bias.numel(); i++) bias.setFlat(i, 0.05 * (i % 5 - 2));
    }
    TunedModel tuned = TunedModel.of(m, PromptTuning.create(new PromptTuningConfig(5, PromptInit.RANDOM, 2.0, null,
        null, 0, 1, null), m, new Rng(8)), ModulesToSave.ofHead(m));
    Dataset data = tokens(20, 9);
    PromptNormConstraint loose = PromptNormConstraint.calibrate(tuned, List.of(data), 1e9, 8, 0);
    double fixed = loose.range(new double[5 * 16]);
    Tensor p = ((PromptTuning) tuned.method(org.ptlab.tuning.PeftMethod.PROMPT)).prompt();
    double start = loose.range(p);
    assertTrue(start > 1.5 * fixed, start + " vs fixed part " + fixed);
    double rMax = fixed + 0.3 * (start - fixed);
    PromptNormConstraint c = PromptNormConstraint.calibrate(tuned, List.of(data), rMax, 8, 0);
    c.project(p);
    assertTrue(c.range(p) <= rMax);
    double measured = PromptNormConstraint.measure(tuned, List.of(data), 8, 0)[0];
    assertTrue(measured <= rMax * (1 + 1e-6), measured + " vs " + rMax); // the model's float32 rounding of x
    assertThrows(IllegalArgumentException.class,
        () -> PromptNormConstraint.calibrate(tuned, List.of(data), 0.5 * fixed, 8, 0), "below the fixed part");
  }

  @Test
  void aModelThatNormalizesThePromptIsRefusedUnlessItsBoundAlreadyHolds() {
    TransformerConfig cfg = bertShaped(true).withHead(TransformerConfig.Head.CLASSIFY, TransformerConfig.Pooling.MEAN, 2);
    Transformer m = Transformer.create(cfg, new Rng(7));
    TunedModel tuned = TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(8)));
    Dataset data = tokens(12, 9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PromptNormConstraint.calibrate(tuned, List.of(data), 1e-3, 8, 0));
    assertTrue(e.getMessage().contains("embeddings.LayerNorm"), e.getMessage());
    PromptNormConstraint loose = PromptNormConstraint.calibrate(tuned, List.of(data), 1e6, 8, 0);
    Tensor p = ((PromptTuning) tuned.methods().get(0)).prompt();
    long[] orig = bits(p);
    loose.project(p);
    assertArrayEquals(orig, bits(p));
    assertTrue(PromptNormConstraint.measure(tuned, List.of(data), 8, 0)[0] <= loose.range(p), "the LN bound holds");
  }
}
