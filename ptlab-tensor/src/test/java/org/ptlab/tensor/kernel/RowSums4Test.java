package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/**
 * The vector row sums give the bits of the scalar four-sum loops they replace (element j in sum j mod 4, the tail in
 * sum 0, then (s0 + s1) + (s2 + s3)), for every row length around the vector width, in float32 and float64.
 */
class RowSums4Test {
  @Test
  void everyPassMatchesTheScalarFourSumLoop() {
    Rng rng = new Rng(11);
    for (int n = 1; n <= 70; n++) {
      double[] x = new double[n + 5];
      double[] y = new double[n + 5];
      float[] xf = new float[n + 5];
      float[] yf = new float[n + 5];
      for (int j = 0; j < x.length; j++) {
        x[j] = 3 * rng.nextGaussian() + 1;
        y[j] = rng.nextGaussian();
        xf[j] = (float) x[j];
        yf[j] = (float) y[j];
      }
      double[] want = new double[n];
      double[] got = new double[n];
      // load
      for (int j = 0; j < n; j++) want[j] = x[3 + j];
      assertEquals(fourSum(want, n), RowSums4.load(x, 3, got, n), 0.0, "load f64 n=" + n);
      assertArrayEquals(want, got, 0.0);
      for (int j = 0; j < n; j++) want[j] = xf[2 + j];
      assertEquals(fourSum(want, n), RowSums4.load(xf, 2, got, n), 0.0, "load f32 n=" + n);
      assertArrayEquals(want, got, 0.0);
      // loadSum: the sum is rounded in the inputs' dtype
      for (int j = 0; j < n; j++) want[j] = x[1 + j] + y[4 + j];
      assertEquals(fourSum(want, n), RowSums4.loadSum(x, 1, y, 4, got, n), 0.0, "loadSum f64 n=" + n);
      assertArrayEquals(want, got, 0.0);
      for (int j = 0; j < n; j++) want[j] = xf[1 + j] + yf[4 + j];
      assertEquals(fourSum(want, n), RowSums4.loadSum(xf, 1, yf, 4, got, n), 0.0, "loadSum f32 n=" + n);
      assertArrayEquals(want, got, 0.0);
      // centre
      double mean = 0.37;
      double[] row = want.clone();
      double[] sq = new double[n];
      for (int j = 0; j < n; j++) {
        want[j] -= mean;
        sq[j] = want[j] * want[j];
      }
      assertEquals(fourSum(sq, n), RowSums4.centre(row, mean, n), 0.0, "centre n=" + n);
      assertArrayEquals(want, row, 0.0);
      // gradSums
      double[] prod = new double[n];
      for (int j = 0; j < n; j++) prod[j] = want[j] * x[j];
      double[] sums = new double[2];
      RowSums4.gradSums(want, x, sums, n);
      assertEquals(fourSum(want, n), sums[0], 0.0, "Σdh n=" + n);
      assertEquals(fourSum(prod, n), sums[1], 0.0, "Σdh·h n=" + n);
    }
  }

  /** The scalar loops' order. */
  private static double fourSum(double[] v, int n) {
    double[] s = new double[4];
    int bound = n & ~3;
    for (int j = 0; j < bound; j++) s[j % 4] += v[j];
    for (int j = bound; j < n; j++) s[0] += v[j];
    return (s[0] + s[1]) + (s[2] + s[3]);
  }
}
