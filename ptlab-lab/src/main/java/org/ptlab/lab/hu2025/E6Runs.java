package org.ptlab.lab.hu2025;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.LipschitzTargets;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.StaircaseQuantizer;
import org.ptlab.theory.hu2025.UniversalBuild;
import org.ptlab.theory.hu2025.UniversalConstruction;
import org.ptlab.theory.hu2025.UniversalResult;

/**
 * The runs of E6 (Hu et al. §2, spec hu2025.md §2–3): exact memorization of whole families, d_p error vs δ for one
 * Lipschitz target, the size table next to Wang et al.'s, and the precision ladder (E6b). Training from random
 * prompts (E6c) is in {@link E6Training}. All float64; p = 2 throughout.
 */
final class E6Runs {
  static final double P = 2;
  static final double LIPSCHITZ = 1;
  /** Flops beyond which a precision point is reported as "not run" with its predicted cost. */
  static final double FLOP_BUDGET = 3e10;

  private E6Runs() {}

  /** The whole family (δ = δ_out = δ_P), verified on every grid cell of every member: the U1 numbers. */
  static RunOutput memorize(RunContext ctx) {
    QuantizedFamily fam = family(ctx);
    UniversalResult r = UniversalConstruction.family(fam);
    Map<String, Object> m = familyMetrics(fam);
    m.put("members", fam.familySize().longValueExact());
    m.put("distinct_ids", r.build().lookup().distinctIds());
    m.put("expected_ids", fam.familySize().longValueExact() * fam.cells() * fam.L());
    m.putAll(r.summary());
    m.put("max_slope", r.build().lookup().maxSlope());
    m.put("ff1_width", r.build().quantizerWidth());
    return RunOutput.of(m);
  }

  /** One random C-Lipschitz target at δ: Monte-Carlo d_p with a 3σ upper confidence bound, against the bound. */
  static RunOutput error(RunContext ctx) {
    QuantizedFamily fam = family(ctx);
    UnaryOperator<double[]> f = LipschitzTargets.tanh(trialRng(ctx, 0), fam.entries(), LIPSCHITZ); // same f for every δ
    UniversalBuild b = UniversalConstruction.forTarget(fam, f);
    int samples = ctx.intParam("samples");
    Rng rng = trialRng(ctx, 1);
    double[] x = new double[samples * fam.entries()];
    for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
    double[] y = b.predict(0, x, samples);
    double sum = 0;
    double sumSq = 0;
    for (int s = 0; s < samples; s++) {
      double[] fx = f.apply(java.util.Arrays.copyOfRange(x, s * fam.entries(), (s + 1) * fam.entries()));
      double e = 0;
      for (int i = 0; i < fx.length; i++) e += Math.pow(Math.abs(y[s * fam.entries() + i] - fx[i]), P);
      sum += e;
      sumSq += e * e;
    }
    double mean = sum / samples;
    double sd = Math.sqrt(Math.max(0, sumSq / samples - mean * mean));
    double root = Math.pow(fam.entries(), 1 / P);
    Map<String, Object> m = familyMetrics(fam);
    m.put("d_p", Math.pow(mean, 1 / P));
    m.put("d_p_ucb", Math.pow(mean + 3 * sd / Math.sqrt(samples), 1 / P));
    m.put("first_order", LIPSCHITZ * fam.delta() * root); // C·δ·(dL)^{1/p}
    m.put("bound", LIPSCHITZ * fam.delta() * root + fam.deltaOut() * root + ramp(fam) * root);
    m.put("grid_error", gridError(b, fam.table(f)));
    m.put("min_id_gap", b.lookup().minGap());
    return RunOutput.of(m);
  }

  /** FF_1's ramps: a sample within η below a step may get any output in [0, 1): ≤ (dL·η/δ)^{1/p} per (dL)^{1/p}. */
  private static double ramp(QuantizedFamily fam) {
    return Math.pow(fam.entries() * StaircaseQuantizer.ETA_FRACTION, 1 / P);
  }

  /** Largest |τ − f̄| over the grid cells of a one-target build. */
  static double gridError(UniversalBuild b, int[][] table) {
    QuantizedFamily fam = b.family();
    double[] x = new double[fam.cells() * fam.entries()];
    for (int c = 0; c < fam.cells(); c++) System.arraycopy(fam.cellPoint(c), 0, x, c * fam.entries(), fam.entries());
    double[] y = b.predict(0, x, fam.cells());
    double worst = 0;
    for (int c = 0; c < fam.cells(); c++) {
      for (int e = 0; e < fam.entries(); e++) {
        double err = Math.abs(y[c * fam.entries() + e] - table[c][e] * fam.deltaOut());
        worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(worst, err);
      }
    }
    return worst;
  }

  /**
   * One row of the size table at (d, L, 1/ε), δ = δ_out = δ_P = ε: Hu et al.'s L_p, FFN widths and one attention
   * layer, next to Wang et al.'s O((L_p+L)(1/ε)^d) attention and O((1/ε)^{d(L_p+L)}) FFN layers — big-O without
   * constants, so the Wang columns are orders of growth (log10 of the expression), not layer counts.
   */
  static RunOutput sizes(RunContext ctx) {
    int d = ctx.intParam("d");
    int L = ctx.intParam("L");
    int k = ctx.intParam("levels");
    double log10k = Math.log10(k);
    double log10Cells = d * L * log10k; // M = (1/ε)^{dL}
    double log10Lp = Math.log10(L) + log10Cells; // L_p = dL·M·log k / (d·log k) = L·M
    double lp = Math.pow(10, log10Lp);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("log10_cells", log10Cells);
    m.put("log10_prompt_length", log10Lp);
    m.put("hu_attention_layers", 1);
    m.put("hu_heads", 1);
    m.put("hu_ffn_layers", 2);
    m.put("log10_hu_ff1_width", Math.log10(2.0 * d * k) + Math.log10(lp + L)); // 2·d·(n/δ) units
    m.put("log10_hu_ff2_width_one_target", log10Cells + Math.log10(L)); // M·L ids (−1)
    m.put("log10_hu_ff2_width_family", log10Cells + Math.log10(L) + d * L * Math.pow(10, log10Cells) * log10k);
    m.put("log10_wang_attention_order", Math.log10(lp + L) + d * log10k); // log10 of (L_p+L)(1/ε)^d
    m.put("log10_wang_ffn_order", d * (lp + L) * log10k); // log10 of (1/ε)^{d(L_p+L)}
    return RunOutput.of(m);
  }

  /**
   * Stream {@code stream} of trial {@code trial} (a config key): trials replace repeats so that the deterministic
   * parts of E6 run once while the random ones get several seeds, and trial t sees the same target at every δ.
   */
  static Rng trialRng(RunContext ctx, long stream) {
    return Rng.derive(ctx.taskSeed(), ctx.intParam("trial"), stream);
  }

  static QuantizedFamily family(RunContext ctx) {
    int k = ctx.intParam("levels");
    return new QuantizedFamily(ctx.intParam("d"), ctx.intParam("L"), k, k, k);
  }

  static Map<String, Object> familyMetrics(QuantizedFamily fam) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delta", fam.delta());
    m.put("cells", fam.cells());
    m.put("prompt_length", fam.promptLength());
    return m;
  }

  static BigInteger members(QuantizedFamily fam) {
    return fam.familySize();
  }
}
