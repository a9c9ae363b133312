package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.UniversalConstruction;

/**
 * Check C7 of spec wang2023.md §7: the hardmax meta-transformer at d = m = 1, δ = 1/4 reproduces every quantized
 * function off the cell boundaries; its d_p to a Lipschitz target is measured against Lδ(dm)^{1/p}; softmax with a
 * growing score scale approaches it.
 *
 * <p>Exact up to {@link #TOLERANCE}, not U1's 1e-8: the ids are base-20 codes of the 5 tokens and reach 1.5e7, so
 * the lookup's ReLU terms are ~1e7 before they cancel to a value in [0, 1), and float64 leaves ~1e-8 of rounding.
 */
class MetaTransformerConstructionTest {
  private static final double TOLERANCE = 1e-7;
  private static final MetaTransformerConstruction META = MetaTransformerConstruction.build(4);
  private static final double[] OFF_BOUNDARY = {0.25, 0.5, 0.75}; // fractions of a cell, away from FF1's ramps

  @Test
  void c7EveryQuantizedFunctionIsReproducedOffCellBoundaries() {
    QuantizedFamily fam = META.family();
    assertEquals(256, META.prompts().size());
    assertEquals(4, fam.promptLength(), "m_p = ⌈log 4^4 / log 4⌉");
    assertEquals(1024, META.lookup().distinctIds(), "every (function, cell) has its own id");
    double worst = worstError(META.hardmaxModel());
    System.out.printf("C7: hardmax max error %.3e over 256 functions × 12 points; 20 selective-shift layers;"
        + " largest id %.4g%n", worst, maxAbsId());
    assertTrue(worst <= TOLERANCE, "max error " + worst);
  }

  /** d_p(τ([P_f̄, ·]), f) for a 1-Lipschitz f, Monte Carlo (p = 2), against Lδ(dm)^{1/p} + δ_out(dm)^{1/p}. */
  @Test
  void c7DistanceToALipschitzTargetIsFirstOrderInDelta() {
    QuantizedFamily fam = META.family();
    java.util.function.UnaryOperator<double[]> f = x -> new double[] {0.5 + 0.45 * Math.sin(2 * x[0])}; // L = 0.9
    int member = fam.indexOf(fam.table(f)).intValue();
    Rng rng = new Rng(3);
    int samples = 2000;
    double[] x = new double[samples];
    for (int i = 0; i < samples; i++) x[i] = rng.nextDouble();
    double[] y = UniversalConstruction.predict(META.hardmaxModel(), META.prompts().get(member), x, samples, 1);
    double sum = 0;
    for (int i = 0; i < samples; i++) sum += Math.pow(y[i] - f.apply(new double[] {x[i]})[0], 2);
    double dp = Math.sqrt(sum / samples);
    double lipschitzTerm = 0.9 * fam.delta();
    System.out.printf("C7: d_2 = %.4f; Lδ(dm)^{1/p} = %.4f; + δ_out = %.4f%n", dp, lipschitzTerm,
        lipschitzTerm + fam.deltaOut());
    assertTrue(dp <= lipschitzTerm + fam.deltaOut(), "d_p " + dp);
  }

  /** Softmax with scores × λ: the error to the hardmax network's targets falls to 0 as λ grows. */
  @Test
  void softmaxWithGrowingScaleApproachesTheHardmaxNetwork() {
    double previous = Double.POSITIVE_INFINITY;
    StringBuilder line = new StringBuilder("C7 softmax: ");
    for (double lambda : new double[] {10, 100, 300, 1000, 10000}) {
      double err = worstError(META.softmax(lambda));
      line.append(String.format("λ=%.0f: %.3e  ", lambda, err));
      assertTrue(err <= previous * 1.0001 || err < TOLERANCE, "non-increasing: " + line);
      previous = err;
    }
    System.out.println(line);
    assertTrue(previous <= TOLERANCE, line.toString());
  }

  private static double worstError(Transformer model) {
    QuantizedFamily fam = META.family();
    int points = fam.cells() * OFF_BOUNDARY.length;
    double[] x = new double[points];
    for (int c = 0; c < fam.cells(); c++) {
      for (int k = 0; k < OFF_BOUNDARY.length; k++) x[c * OFF_BOUNDARY.length + k] = (c + OFF_BOUNDARY[k]) * fam.delta();
    }
    double worst = 0;
    for (int m = 0; m < META.prompts().size(); m++) {
      double[] y = UniversalConstruction.predict(model, META.prompts().get(m), x, points, 1);
      for (int i = 0; i < points; i++) {
        double target = META.tables().get(m)[i / OFF_BOUNDARY.length][0] * fam.deltaOut();
        double e = Math.abs(y[i] - target);
        worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
      }
    }
    return worst;
  }

  private static double maxAbsId() {
    var w = META.lookup().weights();
    double m = 0;
    for (int i = 0; i < META.lookup().distinctIds(); i++) m = Math.max(m, Math.abs(w.b1()[i]));
    return m;
  }
}
