package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/**
 * {@link FeatureSums} against a scalar transcription of its documented summation order ({@link Math#fma}, lanes of
 * {@link FeatureSums#L} rows, tasks of {@link FeatureSums#CHUNK} rows): equal to the bit, over column counts that
 * exercise every column group (4, 5 and padded), ranks odd and even, partial tiles, blocks and tasks, and masks. The
 * reference has no threads and no blocking, so equality also shows that neither the thread count nor the block
 * sizes enter the result.
 */
class FeatureSumsTest {
  @Test
  void accumulateAndEvaluateFollowTheirDocumentedOrderToTheBit() {
    Rng rng = new Rng(2026_12_07L);
    int[][] shapes = {{1, 0}, {1, 5}, {2, 3}, {3, 2}, {4, 1}, {4, 3}, {4, 8}, {6, 2}};
    int[] columns = {1, 2, 3, 4, 5, 6, 7, 9, 13, 24, 25};
    int[] rows = {1, 7, 8, 9, 130, 2048 + 17};
    int cases = 0;
    for (int[] sg : shapes) {
      Monomials mono = new Monomials(sg[0], sg[1]);
      int s = sg[0];
      for (int cy : columns) {
        for (int n : rows) {
          if ((long) n * mono.rank() * cy > 3_000_000) continue; // keeps the scalar reference quick
          double[] w = Data.uniform(rng, 1, mono.rank(), -2, 2);
          double[] x = Data.uniform(rng, n, s, -0.9, 0.9);
          double[] y = Data.uniform(rng, n, cy, -1, 1);
          boolean[] keep = null;
          if (n % 2 == 1) {
            keep = new boolean[n];
            for (int i = 0; i < n; i++) keep[i] = rng.nextDouble() < 0.7;
          }
          String at = "s=" + s + " g=" + sg[1] + " cy=" + cy + " n=" + n;
          double[] m = FeatureSums.accumulate(mono, w, x, n, 0.8, y, cy, keep);
          assertArrayEquals(referenceAccumulate(mono, w, x, n, 0.8, y, cy, keep), m, 0, at);
          assertArrayEquals(referenceEvaluate(mono, x, n, 1.25, m, cy), FeatureSums.evaluate(mono, x, n, 1.25, m, cy),
              0, at);
          cases++;
        }
      }
    }
    assertEquals(true, cases > 300, "cases run: " + cases);
  }

  @Test
  void rankOf495AtTheBenchmarkShapeMatchesTheReference() { // g = 8, s = 4, dv + 1 = 5: the bench attention path
    Rng rng = new Rng(5);
    Monomials mono = new Monomials(4, 8);
    int n = 2 * FeatureSums.CHUNK + 3 * FeatureSums.L + 5;
    double[] w = mono.weights(ExpApprox.taylor(8, 1.0).coeffs());
    double[] x = Data.uniform(rng, n, 4, -0.5, 0.5);
    double[] y = Data.uniform(rng, n, 5, 0, 1);
    double[] m = FeatureSums.accumulate(mono, w, x, n, 1, y, 5, null);
    assertArrayEquals(referenceAccumulate(mono, w, x, n, 1, y, 5, null), m, 0);
    assertArrayEquals(referenceEvaluate(mono, x, n, 1, m, 5), FeatureSums.evaluate(mono, x, n, 1, m, 5), 0);
  }

  @Test
  void theImplicitColumnOfOnesEqualsTheCopiedOne() { // the attention forward's [V | 1]: same bits without the copy
    Rng rng = new Rng(11);
    for (int dy : new int[] {1, 3, 4, 7}) {
      for (int n : new int[] {1, 9, 2048 + 17}) {
        Monomials mono = new Monomials(3, 4);
        double[] w = Data.uniform(rng, 1, mono.rank(), -2, 2);
        double[] x = Data.uniform(rng, n, 3, -0.9, 0.9);
        double[] v = Data.uniform(rng, n, dy, -1, 1);
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) keep[i] = rng.nextDouble() < 0.8;
        double[] y = new double[n * (dy + 1)];
        for (int i = 0; i < n; i++) {
          System.arraycopy(v, i * dy, y, i * (dy + 1), dy);
          y[i * (dy + 1) + dy] = 1;
        }
        for (boolean[] mask : new boolean[][] {null, keep}) {
          assertArrayEquals(FeatureSums.accumulate(mono, w, x, n, 0.7, y, dy + 1, mask),
              FeatureSums.accumulate(mono, w, x, n, 0.7, v, dy, true, mask), 0, "dy=" + dy + " n=" + n);
        }
      }
    }
  }

  /** Lane l of task t sums rows t·CHUNK + l, + L, … in order by FMA; lanes in order; tasks in order; then ·w. */
  static double[] referenceAccumulate(Monomials mono, double[] w, double[] x, int n, double xScale, double[] y,
      int cy, boolean[] keep) {
    int r = mono.rank();
    int s = mono.vars();
    int lanes = FeatureSums.L;
    double[] m = new double[r * cy];
    double[] mon = new double[r];
    double[] xv = new double[s];
    for (int from = 0; from < Math.max(1, n); from += FeatureSums.CHUNK) {
      int to = Math.min(n, from + FeatureSums.CHUNK);
      double[] acc = new double[r * cy * lanes];
      for (int i0 = from; i0 < to; i0 += lanes) {
        for (int l = 0; l < lanes; l++) {
          int i = i0 + l;
          boolean live = i < to && (keep == null || keep[i]);
          for (int v = 0; v < s; v++) xv[v] = i < to ? xScale * x[i * s + v] : 0;
          mono.monomials(xv, 0, mon);
          for (int a = 0; a < r; a++) {
            for (int c = 0; c < cy; c++) {
              int o = (a * cy + c) * lanes + l;
              acc[o] = Math.fma(mon[a], live ? y[i * cy + c] : 0, acc[o]);
            }
          }
        }
      }
      for (int e = 0; e < r * cy; e++) {
        double sum = 0;
        for (int l = 0; l < lanes; l++) sum += acc[e * lanes + l];
        m[e] += sum;
      }
    }
    for (int a = 0; a < r; a++) for (int c = 0; c < cy; c++) m[a * cy + c] *= w[a];
    return m;
  }

  /** T[i][c] = Σ_α mono_α·M[α][c] by FMA in the order α = 0 … r−1. */
  static double[] referenceEvaluate(Monomials mono, double[] x, int n, double xScale, double[] m, int cy) {
    int r = mono.rank();
    int s = mono.vars();
    double[] out = new double[n * cy];
    double[] mon = new double[r];
    double[] xv = new double[s];
    for (int i = 0; i < n; i++) {
      for (int v = 0; v < s; v++) xv[v] = xScale * x[i * s + v];
      mono.monomials(xv, 0, mon);
      for (int c = 0; c < cy; c++) {
        double t = 0;
        for (int a = 0; a < r; a++) t = Math.fma(mon[a], m[a * cy + c], t);
        out[i * cy + c] = t;
      }
    }
    return out;
  }
}
