package org.ptlab.lab.wang2023;

/**
 * The largest singular value of a small matrix (a soft prompt P, m_p × d with m_p ≤ d), in float64: the square
 * root of the largest eigenvalue of the m_p × m_p Gram matrix P·Pᵀ, found with cyclic Jacobi rotations. Exact to
 * round-off and deterministic, unlike a power iteration started from a random vector; m_p is at most a few hundred,
 * so the O(m_p³) sweeps cost nothing next to training.
 */
final class SpectralNorm {
  private static final int MAX_SWEEPS = 100;

  private SpectralNorm() {}

  /** ‖P‖₂ of the rows {@code p} (each of the same length). */
  static double of(double[][] p) {
    int m = p.length;
    if (m == 0) return 0;
    double[][] g = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = 0; k < p[i].length; k++) s += p[i][k] * p[j][k];
        g[i][j] = s;
        g[j][i] = s;
      }
    }
    return Math.sqrt(Math.max(0, largestEigenvalue(g)));
  }

  /** The largest eigenvalue of the symmetric matrix {@code a} (overwritten). */
  static double largestEigenvalue(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += a[i][i] * a[i][i];
        for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
      }
      if (off <= 1e-30 * diag || off == 0) break;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) continue;
          // the rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1)
          double tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(tau == 0 ? 1 : tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
          double c = 1 / Math.sqrt(1 + t * t);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) max = Math.max(max, a[i][i]);
    return max;
  }
}
