package org.ptlab.theory.wang2023;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ptlab.theory.SpectralNorms;

/**
 * Small float64 vector and matrix helpers for this package (tokens as rows, matrices as {@code [out][in]} so that
 * W·x is {@link #matVec}), and the bridge to EJML for spectral norms and singular values.
 */
final class LinAlg {
  private LinAlg() {}

  /** W·x for W [out][in]. */
  static double[] matVec(double[][] w, double[] x) {
    double[] y = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      double s = 0;
      for (int j = 0; j < x.length; j++) s += w[i][j] * x[j];
      y[i] = s;
    }
    return y;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** a + c·b. */
  static double[] axpy(double[] a, double c, double[] b) {
    double[] r = a.clone();
    for (int i = 0; i < r.length; i++) r[i] += c * b[i];
    return r;
  }

  static double[] add(double[] a, double[] b) {
    return axpy(a, 1, b);
  }

  static double[] sub(double[] a, double[] b) {
    return axpy(a, -1, b);
  }

  static double[] scale(double c, double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) r[i] = c * a[i];
    return r;
  }

  /** ‖a − b‖². */
  static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
  }

  /** log Σ_i e^{v_i}, shifted by the max so that large logits do not overflow. */
  static double logSumExp(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) max = Math.max(max, x);
    if (max == Double.NEGATIVE_INFINITY) return max;
    double s = 0;
    for (double x : v) s += Math.exp(x - max);
    return max + Math.log(s);
  }

  /** A copy of {@code a} as an EJML row-major matrix. */
  static DMatrixRMaj ejml(double[][] a) {
    return new DMatrixRMaj(a);
  }

  /** The matrix whose columns are {@code cols} (each of length d): [d][k]. */
  static double[][] columns(double[][] cols, int d) {
    double[][] m = new double[d][cols.length];
    for (int j = 0; j < cols.length; j++) for (int i = 0; i < d; i++) m[i][j] = cols[j][i];
    return m;
  }

  static double[][] toArray(DMatrixRMaj m) {
    double[][] a = new double[m.numRows][m.numCols];
    for (int i = 0; i < m.numRows; i++) for (int j = 0; j < m.numCols; j++) a[i][j] = m.get(i, j);
    return a;
  }

  /** ‖A‖₂, the largest singular value ({@link SpectralNorms}, the package's one place for it). */
  static double spectralNorm(double[][] a) {
    return SpectralNorms.of(a);
  }

  /** The singular values of {@code a}, largest first ({@link SpectralNorms}). */
  static double[] singularValues(double[][] a) {
    return SpectralNorms.singularValues(a);
  }

  /** How many of {@code sv} (largest first) exceed {@code tol}. */
  static int countAbove(double[] sv, double tol) {
    int r = 0;
    for (double s : sv) if (s > tol) r++;
    return r;
  }

  /**
   * Compact SVD A = U·diag(σ)·Vᵀ, σ descending (EJML).
   *
   * @param u [rows][p] with orthonormal columns
   * @param sigma [p], p = min(rows, cols)
   * @param v [cols][p] with orthonormal columns
   */
  record Svd(double[][] u, double[] sigma, double[][] v) {
    static Svd of(double[][] a) {
      DMatrixRMaj m = ejml(a);
      var svd = org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
      if (!svd.decompose(m.copy())) throw new IllegalStateException("SVD did not converge");
      DMatrixRMaj u = svd.getU(null, false);
      DMatrixRMaj w = svd.getW(null);
      DMatrixRMaj v = svd.getV(null, false);
      SingularOps_DDRM.descendingOrder(u, false, w, v, false);
      double[] sigma = new double[Math.min(w.numRows, w.numCols)];
      for (int i = 0; i < sigma.length; i++) sigma[i] = w.get(i, i);
      return new Svd(toArray(u), sigma, toArray(v));
    }
  }

  /** Deep copy. */
  static double[][] copy(double[][] a) {
    double[][] r = new double[a.length][];
    for (int i = 0; i < a.length; i++) r[i] = a[i].clone();
    return r;
  }
}
