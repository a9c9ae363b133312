package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/**
 * Check U2 of spec hu2025.md §7 D: for a random C-Lipschitz f, the Monte-Carlo d_p error of τ([P_f̄, ·])_{L_p:} is
 * at most C·δ·(dL)^{1/p} + quantizer error, and first order in δ. The whole family at δ = 1/4 has 4^32 members, so
 * the construction is built for one target at a time: FF_2 and the contextual map then depend on f (spec §0.1).
 *
 * <p>Quantizer error here = output rounding δ_out·(dL)^{1/p} plus the ramps of FF_1: a sample within η below a
 * threshold (probability ≤ dL·η/δ) may get any output in the targets' hull, an error ≤ 1 per entry, so that band
 * adds ≤ (dL·η/δ)^{1/p}·(dL)^{1/p}.
 */
class UniversalApproximationErrorTest {
  private static final int D = 1;
  private static final int L = 2;
  private static final double P = 2;
  private static final double C = 1;
  private static final int SAMPLES = 1000;

  @Test
  void u2ErrorIsBelowTheFirstOrderBoundAndHalvesWithDelta() {
    for (long seed = 1; seed <= 2; seed++) {
      UnaryOperator<double[]> f = LipschitzTargets.tanh(new Rng(seed), D * L, C);
      double[] coarse = measure(f, 2, seed);
      double[] fine = measure(f, 4, seed);
      System.out.printf("U2 seed %d: δ=1/2 d_p %.4f (ucb %.4f, bound %.4f); δ=1/4 d_p %.4f (ucb %.4f, bound %.4f);"
          + " ratio %.2f%n", seed, coarse[0], coarse[1], coarse[2], fine[0], fine[1], fine[2], coarse[0] / fine[0]);
      assertTrue(coarse[1] <= coarse[2] && fine[1] <= fine[2], "upper confidence bound within the bound");
      double ratio = coarse[0] / fine[0];
      assertTrue(ratio > 1.4 && ratio < 2.9, "roughly halves: ratio " + ratio);
    }
  }

  /** {d_p estimate, its upper 3-sigma confidence bound, the theoretical bound} at δ = δ_out = δ_P = 1/levels. */
  private static double[] measure(UnaryOperator<double[]> f, int levels, long seed) {
    QuantizedFamily fam = new QuantizedFamily(D, L, levels, levels, levels);
    UniversalBuild b = UniversalConstruction.forTarget(fam, f);
    Rng rng = new Rng(100 + seed);
    double[] x = new double[SAMPLES * D * L];
    for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
    double[] y = b.predict(0, x, SAMPLES);
    double sum = 0;
    double sumSq = 0;
    for (int s = 0; s < SAMPLES; s++) {
      double[] xs = java.util.Arrays.copyOfRange(x, s * D * L, (s + 1) * D * L);
      double[] fx = f.apply(xs);
      double e = 0;
      for (int i = 0; i < fx.length; i++) e += Math.pow(Math.abs(y[s * D * L + i] - fx[i]), P);
      sum += e;
      sumSq += e * e;
    }
    double mean = sum / SAMPLES;
    double sd = Math.sqrt(Math.max(0, sumSq / SAMPLES - mean * mean));
    double root = Math.pow(D * L, 1 / P);
    double band = Math.pow(D * L * StaircaseQuantizer.ETA_FRACTION, 1 / P) * root;
    double bound = C * fam.delta() * root + fam.deltaOut() * root + band;
    return new double[] {Math.pow(mean, 1 / P), Math.pow(mean + 3 * sd / Math.sqrt(SAMPLES), 1 / P), bound};
  }
}
