package org.ptlab.theory.hu2025;

import org.ptlab.tensor.random.Rng;

/** Seeded test problems: row-major float64 arrays with entries uniform in [lo, hi). */
final class Data {
  private Data() {}

  static double[] uniform(Rng rng, int rows, int cols, double lo, double hi) {
    double[] a = new double[rows * cols];
    for (int i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * rng.nextDouble();
    return a;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double e = 0;
    for (int i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
    return e;
  }

  /** Rows [from, to) of a [n, w] array. */
  static double[] rows(double[] a, int w, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from * w, to * w);
  }

  /** Ã = U_1U_2ᵀ [nq, nk] built from explicit features φ(scale·q_i), ψ(k_j) (the A2 check's n×n matrix). */
  static double[] approxKernel(PolyPlan plan, double[] q, int nq, double[] k, int nk, int s, double scale) {
    Monomials mono = new Monomials(s, plan.degree());
    double[] w = mono.weights(plan.approx().coeffs());
    int r = mono.rank();
    double[][] u1 = new double[nq][];
    for (int i = 0; i < nq; i++) {
      double[] x = new double[s];
      for (int m = 0; m < s; m++) x[m] = scale * q[i * s + m];
      u1[i] = mono.features(x, w, true);
    }
    double[] a = new double[nq * nk];
    for (int j = 0; j < nk; j++) {
      double[] psi = mono.features(rows(k, s, j, j + 1), w, false);
      for (int i = 0; i < nq; i++) {
        double t = 0;
        for (int c = 0; c < r; c++) t += u1[i][c] * psi[c];
        a[i * nk + j] = t;
      }
    }
    return a;
  }
}
