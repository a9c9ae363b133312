package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** The FAVOR+ baseline: seeded, normalized, error decaying like 1/√m, and far behind the polynomial method. */
class RandomFeatureAttentionTest {
  @Test
  void directionsAreOrthogonalWithinABlock() {
    double[] w = RandomFeatureAttention.directions(8, 4, new Rng(70));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < i; j++) {
        double d = 0;
        for (int c = 0; c < 4; c++) d += w[i * 4 + c] * w[j * 4 + c];
        assertEquals(0, d, 1e-12);
      }
    }
  }

  @Test
  void seededRowsNormalizedAndErrorShrinksWithFeatures() {
    Rng data = new Rng(71);
    int n = 256;
    int s = 4;
    double[] q = Data.uniform(data, n, s, -0.5, 0.5);
    double[] k = Data.uniform(data, n, s, -0.5, 0.5);
    double[] v = Data.uniform(data, n, s, 0, 1);
    double[] exact = ExactAttention.dense(q, n, k, n, s, v, s, 1.0, null);
    assertArrayEquals(RandomFeatureAttention.attend(q, n, k, n, s, v, s, 1.0, 16, new Rng(1)),
        RandomFeatureAttention.attend(q, n, k, n, s, v, s, 1.0, 16, new Rng(1)));
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    for (double x : RandomFeatureAttention.attend(q, n, k, n, s, ones, 1, 1.0, 8, new Rng(2))) assertEquals(1, x, 1e-14);
    double small = meanError(q, k, v, exact, 16);
    double large = meanError(q, k, v, exact, 1024);
    assertTrue(large < small / 3, "64× the features: error " + small + " -> " + large + " (1/√m predicts /8)");
    // at equal rank (r = 330 at R ≈ 1, eps = 1e-6) the polynomial method is orders of magnitude more accurate
    PolyResult poly = PolynomialAttention.relativeError(1e-6).attend(q, n, k, n, s, v, s, 1.0, null);
    assertTrue(poly.maxError(exact) * 1e3 < meanError(q, k, v, exact, poly.rank()));
  }

  /** Max-norm error averaged over 4 seeds. */
  static double meanError(double[] q, double[] k, double[] v, double[] exact, int m) {
    double sum = 0;
    for (int seed = 0; seed < 4; seed++) {
      sum += Data.maxAbsDiff(RandomFeatureAttention.attend(q, 256, k, 256, 4, v, 4, 1.0, m, new Rng(100 + seed)), exact);
    }
    return sum / 4;
  }
}
