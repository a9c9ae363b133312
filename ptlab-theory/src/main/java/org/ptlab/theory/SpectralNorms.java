package org.ptlab.theory;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ptlab.tensor.Tensor;

/**
 * Spectral norms, singular values and symmetric eigendecompositions of small dense float64 matrices, backed by
 * EJML (org.ejml:ejml-all 0.46.1). It replaces the hand-written cyclic-Jacobi solvers PTLab grew before EJML was a
 * dependency: EJML's SVD and symmetric QR eigensolver are deterministic (no random start, unlike a power
 * iteration) and exact to round-off.
 *
 * <pre>{@code
 * double s = SpectralNorms.of(new double[][] {{3, 0}, {0, -4}});   // 4
 * double[] sv = SpectralNorms.singularValues(prompt);              // prompt [m_p, d] → descending σ_i
 * }</pre>
 *
 * <p>Inputs are never modified (EJML's decompositions may overwrite theirs, so every call works on a copy).
 */
public final class SpectralNorms {
  private SpectralNorms() {}

  /** ‖A‖₂, the largest singular value of the rows {@code a} (each of the same length); 0 for an empty matrix. */
  public static double of(double[][] a) {
    return of(matrix(a));
  }

  /** ‖T‖₂ of a rank-2 tensor (any dtype, read as float64). */
  public static double of(Tensor t) {
    return of(matrix(t));
  }

  /** ‖M‖₂ of an EJML matrix. Not modified. */
  public static double of(DMatrixRMaj m) {
    double[] s = singularValues(m);
    return s.length == 0 ? 0 : s[0];
  }

  /** Singular values of the rows {@code a}, in descending order (min(rows, cols) of them). */
  public static double[] singularValues(double[][] a) {
    return singularValues(matrix(a));
  }

  /** Singular values of a rank-2 tensor, descending. */
  public static double[] singularValues(Tensor t) {
    return singularValues(matrix(t));
  }

  /** Singular values of {@code m}, descending. Not modified. */
  public static double[] singularValues(DMatrixRMaj m) {
    if (m.numRows == 0 || m.numCols == 0) return new double[0];
    double[] s = SingularOps_DDRM.singularValues(m.copy());
    Arrays.sort(s); // EJML does not promise an order
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      double t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }

  /**
   * Eigenvalues and eigenvectors of the symmetric d×d matrix {@code a} (row-major, only read).
   *
   * @param values eigenvalues in descending order
   * @param vectors the matching unit eigenvectors as the columns of a row-major [d, d] array (E, with A = EΛEᵀ)
   */
  public record SymmetricEigen(double[] values, double[] vectors) {}

  /** A = EΛEᵀ of a symmetric row-major [d, d] array (symmetry is assumed, not checked: the upper part is used). */
  public static SymmetricEigen symmetricEigen(double[] a, int d) {
    if (a.length != d * d) throw new IllegalArgumentException("symmetricEigen: " + a.length + " values for d = " + d);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(new DMatrixRMaj(d, d, true, a.clone()))) {
      throw new ArithmeticException("symmetricEigen: EJML's eigensolver did not converge");
    }
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> -eig.getEigenvalue(i).real));
    double[] values = new double[d];
    double[] vectors = new double[d * d];
    for (int c = 0; c < d; c++) {
      values[c] = eig.getEigenvalue(order[c]).real;
      DMatrixRMaj v = eig.getEigenVector(order[c]); // [d, 1]
      for (int r = 0; r < d; r++) vectors[r * d + c] = v.get(r, 0);
    }
    return new SymmetricEigen(values, vectors);
  }

  /** An EJML copy of the rows {@code a}. */
  public static DMatrixRMaj matrix(double[][] a) {
    int rows = a.length;
    int cols = rows == 0 ? 0 : a[0].length;
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < rows; i++) {
      if (a[i].length != cols) throw new IllegalArgumentException("matrix: row " + i + " has " + a[i].length
          + " entries, row 0 has " + cols);
      for (int j = 0; j < cols; j++) m.set(i, j, a[i][j]);
    }
    return m;
  }

  /** An EJML copy of a rank-2 tensor. */
  public static DMatrixRMaj matrix(Tensor t) {
    if (t.rank() != 2) throw new IllegalArgumentException("matrix: need a rank-2 tensor, got rank " + t.rank());
    return new DMatrixRMaj(t.dim(0), t.dim(1), true, t.toDoubleArray());
  }
}
