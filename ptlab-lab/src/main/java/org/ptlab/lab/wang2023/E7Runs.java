package org.ptlab.lab.wang2023;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.StaircaseQuantizer;
import org.ptlab.theory.hu2025.UniversalConstruction;
import org.ptlab.theory.wang2023.MetaTransformerConstruction;

/**
 * The runs of E7 (Wang et al. §4 / spec wang2023.md §2.1, check C7) on
 * {@link MetaTransformerConstruction} at d = m = 1, p = 2. All float64.
 *
 * <p>Why the tolerance is {@link #TOLERANCE} = 1e-7 and not 0: the contextual-mapping ids are base-K codes of the
 * N = m_p + 1 tokens and reach 1.5e7 at δ = 1/4; the value-mapping ReLU terms are of that size before they cancel to
 * an output in [0, 1), so float64 (ulp(1.5e7) ≈ 1.9e-9) leaves ~1e-8 of interpolation rounding. [D]
 */
final class E7Runs {
  /** Largest |τ − f̄| accepted as "reproduced": float64 rounding of the id interpolation, see the class comment. */
  static final double TOLERANCE = 1e-7;
  /** The Lipschitz constant C of the random targets. */
  static final double LIPSCHITZ = 1;
  static final double P = 2;
  /** Off-boundary points per cell for the softmax comparison (fractions 1/4, 1/2, 3/4 of the cell). */
  static final int SOFTMAX_POINTS = 3;

  private E7Runs() {}

  /** Every member reproduced on {@code perCell} points per cell, away from FF_1's ramps (hardmax attention). */
  static RunOutput reproduce(int levels, int perCell) {
    MetaTransformerConstruction meta = MetaTransformerConstruction.build(levels);
    QuantizedFamily fam = meta.family();
    double[] x = offBoundary(fam, perCell);
    Transformer hard = meta.hardmaxModel();
    double worst = 0;
    for (int m = 0; m < meta.prompts().size(); m++) {
      worst = Math.max(worst, maxError(predict(hard, meta, m, x), meta, m, perCell));
    }
    int n = fam.promptLength() + 1;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("delta", fam.delta());
    out.put("members", meta.prompts().size());
    out.put("prompt_length", fam.promptLength());
    out.put("counting_prompt_length", countingPromptLength(fam));
    out.put("points", meta.prompts().size() * x.length);
    out.put("max_error", worst);
    out.put("tolerance", TOLERANCE);
    out.put("distinct_ids", meta.lookup().distinctIds());
    out.put("expected_ids", meta.prompts().size() * fam.cells());
    out.put("selective_shift_layers", n * levels);
    out.put("min_id_gap", meta.lookup().minGap());
    out.put("max_slope", meta.lookup().maxSlope());
    out.put("max_id", maxId(meta));
    out.put("ulp_max_id", Math.ulp(maxId(meta)));
    out.put("lookup_width", meta.lookup().interpolationWidth());
    return RunOutput.of(out);
  }

  /** m_p from the counting formula m·δ^{−dm}·log(1/δ_out)/log(1/δ_P), rounded up (d = m = 1). */
  private static int countingPromptLength(QuantizedFamily fam) {
    double exact = fam.cells() * Math.log(fam.outLevels()) / Math.log(fam.promptLevels());
    return (int) Math.ceil(exact - 1e-9);
  }

  /**
   * Monte-Carlo d_2(τ([P_f̄, ·]), f) for a random C-Lipschitz f(x) = ½ + ½·tanh(a·x + b), |a| = 2C, with a 3σ upper
   * confidence bound, next to Lδ(dm)^{1/p}, the bound (C·δ + δ_out + FF_1's ramps)·(dm)^{1/p} and the spec's ε.
   */
  static RunOutput distance(RunContext ctx, int levels, int samples) {
    MetaTransformerConstruction meta = MetaTransformerConstruction.build(levels);
    QuantizedFamily fam = meta.family();
    Rng rng = ctx.rng();
    double a = 2 * LIPSCHITZ * (rng.nextDouble() < 0.5 ? -1 : 1);
    double b = rng.nextGaussian();
    DoubleUnaryOperator f = t -> 0.5 + 0.5 * Math.tanh(a * t + b);
    int member = fam.indexOf(fam.table(v -> new double[] {f.applyAsDouble(v[0])})).intValueExact();
    double[] x = new double[samples];
    for (int i = 0; i < samples; i++) x[i] = rng.nextDouble();
    double[] y = predict(meta.hardmaxModel(), meta, member, x);
    double sum = 0;
    double sumSq = 0;
    double sumBar = 0;
    for (int i = 0; i < samples; i++) {
      double e = Math.pow(Math.abs(y[i] - f.applyAsDouble(x[i])), P);
      sum += e;
      sumSq += e * e;
      double bar = meta.tables().get(member)[fam.cellOf(new double[] {x[i]})][0] * fam.deltaOut();
      sumBar += Math.pow(Math.abs(y[i] - bar), P);
    }
    double mean = sum / samples;
    double sd = Math.sqrt(Math.max(0, sumSq / samples - mean * mean));
    double root = Math.pow(fam.entries(), 1 / P); // (dm)^{1/p}
    double lipschitzTerm = LIPSCHITZ * fam.delta() * root;
    double ramp = Math.pow(fam.entries() * StaircaseQuantizer.ETA_FRACTION, 1 / P); // error ≤ 1 on the ramp band
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("delta", fam.delta());
    out.put("member", member);
    out.put("d_p", Math.pow(mean, 1 / P));
    out.put("d_p_ucb", Math.pow(mean + 3 * sd / Math.sqrt(samples), 1 / P));
    out.put("d_p_to_quantized", Math.pow(sumBar / samples, 1 / P));
    out.put("lipschitz_term", lipschitzTerm);
    out.put("bound", lipschitzTerm + fam.deltaOut() * root + ramp);
    out.put("spec_eps", 6 * lipschitzTerm); // δ = ε / (6·L·(dm)^{1/p}) solved for ε (spec §2.1 steps 1, 1b)
    out.put("largest_possible_d_p", root); // outputs and targets both lie in [0, 1]
    return RunOutput.of(out);
  }

  /** Softmax with scores × λ vs the hardmax network on the same points: the largest output difference. */
  static RunOutput softmax(int levels, double lambda) {
    MetaTransformerConstruction meta = MetaTransformerConstruction.build(levels);
    double[] diff = softmaxGap(meta, lambda);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("max_diff_hardmax", diff[0]);
    out.put("max_error_target", diff[1]);
    out.put("hardmax_max_error", diff[2]);
    return RunOutput.of(out);
  }

  /**
   * The smallest λ (to a factor (hi/lo)^{2^{−iterations}}) at which softmax matches hardmax to {@code target}: bisection in
   * log λ, assuming the gap falls with λ past lo (checked at both ends, reported if not).
   */
  static RunOutput match(int levels, double lo, double hi, double target, int iterations) {
    MetaTransformerConstruction meta = MetaTransformerConstruction.build(levels);
    boolean bracketed = softmaxGap(meta, lo)[0] > target && softmaxGap(meta, hi)[0] <= target;
    double a = Math.log(lo);
    double b = Math.log(hi);
    for (int i = 0; bracketed && i < iterations; i++) {
      double mid = 0.5 * (a + b);
      if (softmaxGap(meta, Math.exp(mid))[0] <= target) b = mid;
      else a = mid;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bracketed", bracketed ? 1 : 0);
    out.put("lambda_match", bracketed ? Math.exp(b) : Double.NaN);
    out.put("lambda_below", bracketed ? Math.exp(a) : Double.NaN);
    return RunOutput.of(out);
  }

  /** {max |softmax − hardmax|, max |softmax − f̄|, max |hardmax − f̄|} over all members and off-boundary points. */
  private static double[] softmaxGap(MetaTransformerConstruction meta, double lambda) {
    double[] x = offBoundary(meta.family(), SOFTMAX_POINTS);
    Transformer hard = meta.hardmaxModel();
    Transformer soft = meta.softmax(lambda);
    double[] r = new double[3];
    for (int m = 0; m < meta.prompts().size(); m++) {
      double[] yh = predict(hard, meta, m, x);
      double[] ys = predict(soft, meta, m, x);
      for (int i = 0; i < x.length; i++) {
        double target = meta.tables().get(m)[i / SOFTMAX_POINTS][0] * meta.family().deltaOut();
        r[0] = worse(r[0], Math.abs(ys[i] - yh[i]));
        r[1] = worse(r[1], Math.abs(ys[i] - target));
        r[2] = worse(r[2], Math.abs(yh[i] - target));
      }
    }
    return r;
  }

  /** max that keeps NaN (a NaN output is infinitely wrong, never ignored). */
  private static double worse(double a, double b) {
    return Double.isNaN(b) ? Double.POSITIVE_INFINITY : Math.max(a, b);
  }

  /** Points (c + k/(perCell+1))·δ, k = 1..perCell, for every cell c: inside cells, away from the ramps. */
  static double[] offBoundary(QuantizedFamily fam, int perCell) {
    double[] x = new double[fam.cells() * perCell];
    for (int c = 0; c < fam.cells(); c++) {
      for (int k = 0; k < perCell; k++) x[c * perCell + k] = (c + (k + 1.0) / (perCell + 1)) * fam.delta();
    }
    return x;
  }

  private static double[] predict(Transformer model, MetaTransformerConstruction meta, int member, double[] x) {
    return UniversalConstruction.predict(model, meta.prompts().get(member), x, x.length, 1);
  }

  private static double maxError(double[] y, MetaTransformerConstruction meta, int member, int perCell) {
    double worst = 0;
    for (int i = 0; i < y.length; i++) {
      double target = meta.tables().get(member)[i / perCell][0] * meta.family().deltaOut();
      worst = worse(worst, Math.abs(y[i] - target));
    }
    return worst;
  }

  /** The largest |id|: the lookup's first-layer biases are −id (see {@code InterpolationLookup}). */
  private static double maxId(MetaTransformerConstruction meta) {
    double[] b1 = meta.lookup().weights().b1();
    double m = 0;
    for (int i = 0; i < meta.lookup().distinctIds(); i++) m = Math.max(m, Math.abs(b1[i]));
    return m;
  }
}
