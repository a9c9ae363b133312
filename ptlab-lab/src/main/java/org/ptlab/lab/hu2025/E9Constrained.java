package org.ptlab.lab.hu2025;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.CostModel;
import org.ptlab.theory.hu2025.KernelDecision;
import org.ptlab.theory.hu2025.PolyPlan;
import org.ptlab.theory.hu2025.PolynomialAttention;
import org.ptlab.theory.hu2025.PolynomialAttentionKernel;
import org.ptlab.theory.hu2025.PromptNormConstraint;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import org.ptlab.tuning.train.Evaluator;
import org.ptlab.tuning.train.Metrics;
import org.ptlab.tuning.train.StepConstraint;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/**
 * E9 part (vi): the accuracy cost of norm-constrained prompt tuning ({@link PromptNormConstraint}): the prompt is
 * kept in the fast regime by projecting it after every step so that its layer-1 exponent range R stays ≤ R_max.
 *
 * <p>Task (planted, so a perfect prompt exists): the paper's layer (d = 8, one head of size s = 4, no scale, no
 * norm) with frozen random weights and a frozen mean-pooled 2-class head, float64; inputs L vectors
 * N(0, σ²); labels = the class the same model predicts with a hidden teacher prompt P* whose certified range is
 * R* = {@code teacher}·ln n (n = L_p + L), through a head planted to read what P* changes ({@link E9PlantedHead}),
 * so that a zero prompt predicts near chance. The student trains
 * only its prompt (Adam) from a small random init, once unconstrained and once per R_max = c·ln n, plus once at
 * R_max just above the largest R the unconstrained run ever reached (the projection must then be the identity: the
 * same bits). Measured after every step: the true largest prompt-involved |score| of layer 1 over the training
 * data (float64, from the model's own forward pass) and the certified R̂. At the end: train/test loss and accuracy,
 * and the final prompt's test loss through the polynomial kernel (tolerance 1e-6) with its degree and rank (not
 * run, with the predicted rank, where that rank exceeds {@link #MAX_EVAL_RANK}).
 * Artifacts: one column per quantity, one entry per run ({@code kind} 0 = unconstrained, 1 = the R_max sweep,
 * 2 = the identity check).
 */
final class E9Constrained {
  static final int D = 8;
  static final int S = 4;
  static final double DELTA = 1e-6;
  private static final int BATCH = 32;
  /** The final prompts' test set runs through the polynomial kernel only up to this rank (time); above: not run. */
  private static final double MAX_EVAL_RANK = 30_000;
  /** One instance: the kernel logs its first call on each path, and E9 should not print more than that. */
  private static final PolynomialAttentionKernel POLY = PolynomialAttentionKernel.tolerance(DELTA);

  private E9Constrained() {}

  static RunOutput constrainedTuning(Rng rng, int length, int promptLength, int examples, int epochs,
      double[] fractions, double teacher, double sigma) {
    int n = length + promptLength;
    double logN = Math.log(n);
    TransformerConfig cfg = Presets.paper(D, 16).toBuilder().headSize(S).build()
        .withHead(TransformerConfig.Head.CLASSIFY, TransformerConfig.Pooling.MEAN, 2);
    Transformer model = Transformer.create(cfg, Rng.derive(rng.nextLong(), 1));
    double[][][] xTrain = inputs(Rng.derive(rng.nextLong(), 2), examples, length, sigma);
    double[][][] xTest = inputs(Rng.derive(rng.nextLong(), 3), examples, length, sigma);
    Tensor planted = Tensor.randn(Rng.derive(rng.nextLong(), 4), DType.F64, 1, promptLength, D);
    double teacherRange = plantTeacher(model, planted, xTrain, teacher * logN);
    Dataset train = labelled("E9 (vi) train", model, planted, xTrain);
    Dataset test = labelled("E9 (vi) test", model, planted, xTest);
    long initSeed = rng.nextLong();
    TrainerConfig tc = TrainerConfig.defaults().withEpochs(epochs).withBatch(BATCH).withLr(0.05).withSeed(rng.nextLong());

    List<Double> rMax = new ArrayList<>();
    rMax.add(Double.POSITIVE_INFINITY); // unconstrained first: its largest R sets the "identity" point
    for (double c : fractions) rMax.add(c * logN);
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Object> free = train(model, train, test, promptLength, initSeed, tc, Double.POSITIVE_INFINITY);
    free.put("kind", 0.0);
    rows.add(free);
    double loose = 1.01 * (double) free.get("certified_max");
    for (int i = 1; i < rMax.size(); i++) {
      Map<String, Object> r = train(model, train, test, promptLength, initSeed, tc, rMax.get(i));
      r.put("kind", 1.0);
      rows.add(r);
    }
    Map<String, Object> identity = train(model, train, test, promptLength, initSeed, tc, loose);
    identity.put("kind", 2.0);
    rows.add(identity);

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("teacher_range", teacherRange);
    double worst = 0;
    double worstCertified = 0;
    for (Map<String, Object> r : rows) {
      double bound = (double) r.get("r_max");
      if (!Double.isFinite(bound)) continue;
      worst = Math.max(worst, (double) r.get("measured_max") / bound);
      worstCertified = Math.max(worstCertified, (double) r.get("certified_max_after") / bound);
    }
    m.put("constrained_max_r_over_rmax", worst);
    m.put("constrained_certified_over_rmax", worstCertified);
    m.put("identity_loss_diff", Math.abs((double) identity.get("test_loss") - (double) free.get("test_loss")));
    m.put("identity_projections_changed", identity.get("projections_changed"));
    Map<String, Object> half = nearest(rows, 0.5 * logN);
    m.put("unconstrained_test_loss", free.get("test_loss"));
    m.put("unconstrained_test_accuracy", free.get("test_accuracy"));
    m.put("test_loss_at_half_log_n", half.get("test_loss"));
    m.put("test_accuracy_at_half_log_n", half.get("test_accuracy"));
    m.put("loss_cost_at_half_log_n", (double) half.get("test_loss") - (double) free.get("test_loss"));
    m.put("fast_bound_at_half_log_n", (double) half.get("fast_path") == 1 ? (double) half.get("fast_bound") : Double.NaN);
    m.put("fast_loss_diff_at_half_log_n", half.get("fast_test_loss_diff"));
    double[] zero = zeroPrompt(model, test, promptLength);
    m.put("zero_prompt_test_loss", zero[0]);
    m.put("zero_prompt_test_accuracy", zero[1]);
    m.put("r_auto", autoRange(n, S));
    m.put("half_log_n", 0.5 * logN);
    m.put("log_n", logN);
    Map<String, Object> a = new LinkedHashMap<>();
    for (String key : rows.get(0).keySet()) {
      double[] col = rows.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
      a.put(key, E9Data.list(col));
    }
    a.put("r_max_over_log_n", E9Data.list(rows.stream().mapToDouble(r -> (double) r.get("r_max") / logN).toArray()));
    return new RunOutput(m, a);
  }

  /** One training run; R_max = +∞ trains unconstrained (the constraint then only observes: it is the identity). */
  private static Map<String, Object> train(Transformer model, Dataset train, Dataset test, int promptLength,
      long initSeed, TrainerConfig tc, double rMax) {
    PromptTuning prompt = PromptTuning.create(new PromptTuningConfig(promptLength, PromptInit.RANDOM, 0.1, null, null,
        0, 0, null), model, new Rng(initSeed));
    TunedModel tuned = TunedModel.of(model, prompt);
    double bound = Double.isFinite(rMax) ? rMax : Double.MAX_VALUE;
    PromptNormConstraint c = PromptNormConstraint.calibrate(tuned, List.of(train), bound, BATCH, 0);
    double[] measured = {0};
    int perEpoch = (train.size() + BATCH - 1) / BATCH;
    long[] calls = {0}; // 0: the projection before the first step; k: after step k
    StepConstraint observed = new StepConstraint() {
      @Override
      public void project(Map<String, Tensor> trainable) {
        c.project(trainable); // R̂ ≤ R_max checked on every call (c.maxRangeAfter)
        if (calls[0]++ % perEpoch == 0) { // the true range over all the data: at the start and after every epoch
          measured[0] = Math.max(measured[0], PromptNormConstraint.measure(tuned, List.of(train), BATCH, 0, false)[0]);
        }
      }

      @Override
      public String describe() {
        return c.describe();
      }
    };
    try {
      new Trainer(tuned, Task.CLASSIFICATION, tc, 0).constrainWith(observed).fit(train, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Metrics tr = Evaluator.evaluate(tuned, train, Task.CLASSIFICATION, BATCH, 0);
    Metrics te = Evaluator.evaluate(tuned, test, Task.CLASSIFICATION, BATCH, 0);
    double[] finalRange = PromptNormConstraint.measure(tuned, List.of(train), BATCH, 0, true);
    double layerRange = Math.max(finalRange[0], finalRange[1]);
    double predictedRank = Double.POSITIVE_INFINITY; // no degree reaches δ at this R
    try {
      predictedRank = PolynomialAttention.tolerance(DELTA).plan(layerRange, 1.0).rank(S);
    } catch (IllegalArgumentException e) {
      // stays +∞: not run
    }
    KernelDecision decision = null;
    Metrics fast = null;
    if (predictedRank <= MAX_EVAL_RANK) { // else "not run": the predicted rank says why
      synchronized (POLY) {
        model.setAttentionKernel(POLY);
        fast = Evaluator.evaluate(tuned, test, Task.CLASSIFICATION, test.size(), 0); // one call: the whole test set
        decision = POLY.lastDecision();
        model.setAttentionKernel(AttentionKernel.EXACT);
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("r_max", rMax);
    r.put("train_loss", tr.loss());
    r.put("train_accuracy", tr.accuracy());
    r.put("test_loss", te.loss());
    r.put("test_accuracy", te.accuracy());
    r.put("measured_max", measured[0]);
    r.put("certified_max", c.maxRangeBefore());
    r.put("certified_max_after", c.maxRangeAfter());
    r.put("projections_changed", (double) c.changed());
    r.put("final_prompt_range", finalRange[0]);
    r.put("final_layer_range", layerRange);
    r.put("fast_predicted_rank", predictedRank);
    boolean ran = decision != null;
    r.put("fast_path", ran && decision.fast() ? 1.0 : 0.0);
    r.put("fast_degree", ran ? decision.degree() : Double.NaN);
    r.put("fast_rank", ran ? decision.rank() : Double.NaN);
    r.put("fast_bound", ran ? decision.bound() : Double.NaN);
    r.put("fast_kernel_range", ran ? decision.range() : Double.NaN);
    r.put("fast_test_loss_diff", ran ? Math.abs(fast.loss() - te.loss()) : Double.NaN);
    return r;
  }

  /** count sequences of L rows N(0, σ²) in R^d. */
  private static double[][][] inputs(Rng rng, int count, int length, double sigma) {
    double[][][] x = new double[count][length][D];
    for (double[][] seq : x) for (double[] row : seq) for (int j = 0; j < D; j++) row[j] = sigma * rng.nextGaussian();
    return x;
  }

  /**
   * Projects the rows of {@code p} onto the null space of W_Q (s = 4 < d = 8: the teacher's queries vanish, so its
   * whole range is data queries × prompt keys, the scores that shape the outputs read at the input positions),
   * scales them so that the certified range over {@code x} is {@code target} (bisection on the scale: with no
   * biases or positions R̂ grows with it), then plants the head ({@link E9PlantedHead}: it reads
   * the direction in which this prompt changes the pooled output most relative to the inputs' own variation, with
   * margins of spread 4 and balanced classes). Returns the teacher's R̂.
   */
  private static double plantTeacher(Transformer model, Tensor p, double[][][] x, double target) {
    Dataset unlabeled = labelled("teacher calibration", null, null, x);
    PromptTuning holder = PromptTuning.create(new PromptTuningConfig(p.dim(0), PromptInit.FILE, 1, null, null, 0, 0,
        p), model, new Rng(0));
    TunedModel tuned = TunedModel.of(model, holder);
    PromptNormConstraint obs = PromptNormConstraint.calibrate(tuned, List.of(unlabeled), Double.MAX_VALUE, BATCH, 0);
    double[] base = E9PlantedHead.queryNullSpace(model, p.toDoubleArray(), p.dim(0));
    double lo = 0;
    double hi = 1;
    while (obs.range(scaled(base, hi)) < target) hi *= 2;
    for (int k = 0; k < 60; k++) {
      double mid = 0.5 * (lo + hi);
      if (obs.range(scaled(base, mid)) < target) lo = mid;
      else hi = mid;
    }
    double[] v = scaled(base, lo);
    for (int i = 0; i < v.length; i++) p.setFlat(i, v[i]);
    double[] g0 = E9PlantedHead.pooled(model, Tensor.zeros(DType.F64, p.dim(0), D), x);
    double[] gStar = E9PlantedHead.pooled(model, p, x);
    E9PlantedHead.plant(model, g0, gStar, x.length, 4.0);
    return obs.range(v);
  }

  private static double[] scaled(double[] v, double c) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = c * v[i];
    return out;
  }

  /** logit₁ − logit₀ of every sequence of x under prompt p (no gradients). */
  private static double[] margins(Transformer model, Tensor p, double[][][] x) {
    PromptTuning holder = PromptTuning.create(new PromptTuningConfig(p.dim(0), PromptInit.FILE, 1, null, null, 0, 0,
        p), model, new Rng(0));
    TunedModel tuned = TunedModel.of(model, holder);
    int len = x[0].length;
    double[] flat = new double[x.length * len * D];
    for (int b = 0; b < x.length; b++) for (int t = 0; t < len; t++) System.arraycopy(x[b][t], 0, flat, (b * len + t) * D, D);
    try (GradMode.Scope g = GradMode.noGrad()) {
      Tensor logits = tuned.forward(ModelInput.ofVectors(Tensor.of(flat, x.length, len, D)), ForwardMode.EVAL); // [B, 2]
      double[] z = new double[x.length];
      for (int b = 0; b < x.length; b++) z[b] = logits.getFlat(2 * b + 1) - logits.getFlat(2 * b);
      return z;
    }
  }

  /** The dataset of x labelled by the teacher prompt p (label 0 everywhere when the model is null). */
  private static Dataset labelled(String name, Transformer model, Tensor p, double[][][] x) {
    double[] z = model == null ? new double[x.length] : margins(model, p, x);
    List<Example> out = new ArrayList<>();
    for (int b = 0; b < x.length; b++) out.add(Example.ofInputs(x[b], new Target.Label(z[b] > 0 ? 1 : 0)));
    return Dataset.of(name, out);
  }

  /** Test loss and accuracy with a zero prompt (the R_max → 0 limit: the prompt rows carry nothing). */
  private static double[] zeroPrompt(Transformer model, Dataset test, int promptLength) {
    PromptTuning zero = PromptTuning.create(new PromptTuningConfig(promptLength, PromptInit.FILE, 1, null, null, 0, 0,
        Tensor.zeros(DType.F64, promptLength, D)), model, new Rng(0));
    Metrics m = Evaluator.evaluate(TunedModel.of(model, zero), test, Task.CLASSIFICATION, BATCH, 0);
    return new double[] {m.loss(), m.accuracy()};
  }

  /**
   * The largest R at which the cost model predicts the polynomial path (tolerance δ, ‖V‖_max = 1) cheaper than exact
   * attention for n queries and keys at head size s: the R below which "auto" would take the fast path at this n.
   */
  static double autoRange(int n, int s) {
    PolynomialAttention method = PolynomialAttention.tolerance(DELTA);
    double exact = CostModel.DEFAULT.exactMs(n, n, s, s);
    double lo = 0;
    double hi = 64;
    if (!(cheaper(method, lo + 1e-9, n, s, exact))) return 0;
    for (int k = 0; k < 50; k++) { // rank grows with R, so "cheaper" holds on an interval [0, R_auto)
      double mid = 0.5 * (lo + hi);
      if (cheaper(method, mid, n, s, exact)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private static boolean cheaper(PolynomialAttention method, double range, int n, int s, double exactMs) {
    try {
      PolyPlan plan = method.plan(range, 1.0);
      return CostModel.DEFAULT.fastMs(n, n, plan.rank(s), s) < exactMs;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The run whose R_max is closest to {@code target} among the finite ones. */
  private static Map<String, Object> nearest(List<Map<String, Object>> rows, double target) {
    Map<String, Object> best = null;
    for (Map<String, Object> r : rows) {
      double v = (double) r.get("r_max");
      if (Double.isFinite(v) && (best == null || Math.abs(v - target) < Math.abs((double) best.get("r_max") - target))) {
        best = r;
      }
    }
    return best;
  }
}
