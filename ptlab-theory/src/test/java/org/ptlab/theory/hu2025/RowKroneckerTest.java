package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** Check C3 (spec hu2025.md §7): (U_1V_1ᵀ) ⊙ (U_2V_2ᵀ) = (U_1 ⊘ U_2)(V_1 ⊘ V_2)ᵀ. */
class RowKroneckerTest {
  /** a [n, c] · bᵀ for b [m, c] → [n, m]. */
  static double[] timesTransposed(double[] a, double[] b, int n, int m, int c) {
    double[] out = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double t = 0;
        for (int x = 0; x < c; x++) t += a[i * c + x] * b[j * c + x];
        out[i * m + j] = t;
      }
    }
    return out;
  }

  @Test
  void c3HadamardOfLowRankProductsIsALowRankProduct() {
    Rng rng = new Rng(31);
    int n = 13;
    int m = 9;
    int k1 = 4;
    int k2 = 3;
    double[] u1 = Data.uniform(rng, n, k1, -1, 1);
    double[] v1 = Data.uniform(rng, m, k1, -1, 1);
    double[] u2 = Data.uniform(rng, n, k2, -1, 1);
    double[] v2 = Data.uniform(rng, m, k2, -1, 1);
    double[] a = timesTransposed(u1, v1, n, m, k1);
    double[] b = timesTransposed(u2, v2, n, m, k2);
    double[] hadamard = new double[n * m];
    for (int i = 0; i < hadamard.length; i++) hadamard[i] = a[i] * b[i];
    double[] lowRank = timesTransposed(RowKronecker.of(u1, u2, n, k1, k2), RowKronecker.of(v1, v2, m, k1, k2), n, m,
        k1 * k2);
    assertTrue(Data.maxAbsDiff(hadamard, lowRank) < 1e-14);
    // the factor order must match on both sides: (U_1 ⊘ U_2)(V_2 ⊘ V_1)ᵀ is a different matrix
    double[] swapped = timesTransposed(RowKronecker.of(u1, u2, n, k1, k2), RowKronecker.of(v2, v1, m, k2, k1), n, m,
        k1 * k2);
    assertTrue(Data.maxAbsDiff(hadamard, swapped) > 0.1);
  }
}
