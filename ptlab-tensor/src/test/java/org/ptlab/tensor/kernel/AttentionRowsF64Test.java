package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** The row kernel against a scalar reference, and its bits do not depend on how rows are grouped into calls. */
class AttentionRowsF64Test {
  @Test
  void matchesScalarReferenceAndGroupingDoesNotMatter() {
    Rng rng = new Rng(11);
    int[][] heads = {{4, 3}, {4, 4}, {3, 4}, {5, 2}}; // the s = 4 and sv = 4 one-pass loops and the general ones
    for (int n : new int[] {1, 7, 8, 9, 300, 1031}) for (int[] sizes : heads) {
      int s = sizes[0];
      int sv = sizes[1];
      int rows = 5;
      double[] q = uniform(rng, rows * s);
      double[] k = uniform(rng, n * s);
      double[] v = uniform(rng, n * sv);
      double[] kt = new double[s * n];
      double[] vt = new double[sv * n];
      AttentionRowsF64.transpose(k, 0, s, n, s, kt);
      AttentionRowsF64.transpose(v, 0, sv, n, sv, vt);
      double[] buf = new double[n];
      double[] all = new double[rows * sv];
      assertTrue(AttentionRowsF64.rows(q, 0, s, rows, s, kt, n, vt, sv, 0.7, all, 0, sv, buf));
      for (int i = 0; i < rows; i++) {
        double[] one = new double[sv];
        assertTrue(AttentionRowsF64.rows(q, i * s, s, 1, s, kt, n, vt, sv, 0.7, one, 0, sv, new double[n + 5]));
        for (int c = 0; c < sv; c++) {
          assertEquals(Double.doubleToRawLongBits(all[i * sv + c]), Double.doubleToRawLongBits(one[c]), "n=" + n);
        }
        double[] want = reference(q, i * s, k, v, n, s, sv, 0.7);
        for (int c = 0; c < sv; c++) assertEquals(want[c], all[i * sv + c], 1e-14, "n=" + n + " row " + i);
      }
    }
  }

  /** The first (interpreted) call gives the bits of a C2-compiled one: the exp, the max and the sums alike. */
  @Test
  void sameBitsColdAndWarm() {
    Rng rng = new Rng(12);
    int n = 1027;
    double[] q = uniform(rng, 3 * 4);
    double[] kt = uniform(rng, 4 * n);
    double[] vt = uniform(rng, 4 * n);
    double[] buf = new double[n];
    double[] cold = new double[3 * 4];
    double[] cold3 = new double[3 * 3];
    AttentionRowsF64.rows(q, 0, 4, 3, 4, kt, n, vt, 4, 0.9, cold, 0, 4, buf);
    AttentionRowsF64.rows(q, 0, 4, 3, 3, kt, n, vt, 3, 0.9, cold3, 0, 3, buf);
    double[] warm = new double[3 * 4];
    double[] warm3 = new double[3 * 3];
    for (int rep = 0; rep < 3000; rep++) {
      AttentionRowsF64.rows(q, 0, 4, 3, 4, kt, n, vt, 4, 0.9, warm, 0, 4, buf);
      AttentionRowsF64.rows(q, 0, 4, 3, 3, kt, n, vt, 3, 0.9, warm3, 0, 3, buf);
    }
    assertArrayEquals(cold, warm, 0.0);
    assertArrayEquals(cold3, warm3, 0.0);
  }

  @Test
  void nonFiniteScoresAreLeftToTheCaller() {
    int n = 20;
    double[] q = {1, Double.NaN};
    double[] kt = new double[2 * n];
    double[] vt = new double[n];
    double[] out = new double[1];
    assertFalse(AttentionRowsF64.rows(q, 0, 2, 1, 2, kt, n, vt, 1, 1, out, 0, 1, new double[n]));
    assertArrayEquals(new double[] {0}, out);
  }

  private static double[] reference(double[] q, int qo, double[] k, double[] v, int n, int s, int sv, double scale) {
    double[] sc = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      double t = 0;
      for (int m = 0; m < s; m++) t += q[qo + m] * k[j * s + m];
      sc[j] = scale * t;
      max = Math.max(max, sc[j]);
    }
    double sum = 0;
    double[] out = new double[sv];
    for (int j = 0; j < n; j++) {
      double e = Math.exp(sc[j] - max);
      sum += e;
      for (int c = 0; c < sv; c++) out[c] += e * v[j * sv + c];
    }
    for (int c = 0; c < sv; c++) out[c] /= sum;
    return out;
  }

  private static double[] uniform(Rng rng, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = rng.nextDouble() * 2 - 1;
    return a;
  }
}
