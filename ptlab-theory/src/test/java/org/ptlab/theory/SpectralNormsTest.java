package org.ptlab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * SpectralNorms against the behaviour of the hand-written solvers it replaces: the known values of ptlab-lab's
 * {@code SpectralNormTest} (cyclic Jacobi on P·Pᵀ) and {@code E9PlantedHeadTest} (Jacobi eigendecomposition).
 */
class SpectralNormsTest {
  @Test
  void diagonalAndRankOneMatricesHaveTheirKnownNorms() {
    assertEquals(3.0, SpectralNorms.of(new double[][] {{1, 0, 0}, {0, -3, 0}, {0, 0, 2}}), 1e-14);
    double[] u = {1, 2, 2};
    double[] v = {3, 4};
    double[][] p = new double[3][2];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) p[i][j] = u[i] * v[j];
    assertEquals(15.0, SpectralNorms.of(p), 1e-13); // u·vᵀ has the single singular value ‖u‖·‖v‖
    assertEquals(0.0, SpectralNorms.of(new double[][] {{0, 0}, {0, 0}}), 0);
    assertEquals(0.0, SpectralNorms.of(new double[0][]), 0);
    assertArrayEquals(new double[] {3, 2, 1}, SpectralNorms.singularValues(new double[][] {{1, 0, 0}, {0, -3, 0},
        {0, 0, 2}}), 1e-14);
  }

  @Test
  void matchesAPowerIterationOnAWidePromptAndTheTensorOverload() {
    Rng rng = new Rng(7);
    int m = 20;
    int d = 384; // the lab's case: a MiniLM prompt [m_p, d]
    double[][] p = new double[m][d];
    double[] flat = new double[m * d];
    for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) flat[i * d + j] = p[i][j] = rng.nextGaussian();
    double[] x = new double[d];
    x[0] = 1;
    double sigma = 0;
    for (int it = 0; it < 3000; it++) { // x ← PᵀP x / ‖·‖
      double[] y = new double[m];
      for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) y[i] += p[i][j] * x[j];
      double[] z = new double[d];
      for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) z[j] += p[i][j] * y[i];
      sigma = euclidean(y);
      double nz = euclidean(z);
      for (int j = 0; j < d; j++) x[j] = z[j] / nz;
    }
    assertEquals(sigma, SpectralNorms.of(p), 1e-9 * sigma);
    assertEquals(SpectralNorms.of(p), SpectralNorms.of(Tensor.of(flat, m, d)), 1e-12 * sigma);
    assertEquals(SpectralNorms.of(p), SpectralNorms.of(Tensor.of(flat, m, d).to(org.ptlab.tensor.DType.F32)),
        1e-5 * sigma);
  }

  @Test
  void symmetricEigenReconstructsTheMatrixLikeTheJacobiItReplaces() {
    Rng rng = new Rng(5);
    int d = 6;
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = rng.nextGaussian();
    double[] before = a.clone();
    SpectralNorms.SymmetricEigen e = SpectralNorms.symmetricEigen(a, d);
    assertArrayEquals(before, a, 0); // input not modified
    for (int k = 1; k < d; k++) assertEquals(true, e.values()[k - 1] >= e.values()[k]);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double rec = 0; // (E Λ Eᵀ)_ij
        double orth = 0; // (Eᵀ E)_ij
        for (int k = 0; k < d; k++) {
          rec += e.vectors()[i * d + k] * e.values()[k] * e.vectors()[j * d + k];
          orth += e.vectors()[k * d + i] * e.vectors()[k * d + j];
        }
        assertEquals(a[i * d + j], rec, 1e-12);
        assertEquals(i == j ? 1 : 0, orth, 1e-12);
      }
    }
  }

  @Test
  void generalizedEigenDirectionOfE9CanBeBuiltFromIt() {
    // E9PlantedHead.direction: u maximizing uᵀBu/uᵀAu; A = diag(1, 4, 1), B = diag(2, 2, 1) → u = e₀
    int d = 3;
    double[] a = {1, 0, 0, 0, 4, 0, 0, 0, 1};
    double[] b = {2, 0, 0, 0, 2, 0, 0, 0, 1};
    SpectralNorms.SymmetricEigen ea = SpectralNorms.symmetricEigen(a, d);
    double[] w = new double[d * d]; // W = E Λ^{-1/2}
    for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) w[i * d + j] = ea.vectors()[i * d + j] / Math.sqrt(ea.values()[j]);
    double[] m = new double[d * d]; // Wᵀ B W
    for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) {
      m[i * d + j] += w[k * d + i] * b[k * d + l] * w[l * d + j];
    }
    SpectralNorms.SymmetricEigen em = SpectralNorms.symmetricEigen(m, d);
    double[] u = new double[d];
    for (int i = 0; i < d; i++) for (int k = 0; k < d; k++) u[i] += w[i * d + k] * em.vectors()[k * d];
    double n = euclidean(u);
    assertEquals(1, Math.abs(u[0]) / n, 1e-12);
    assertEquals(0, (Math.abs(u[1]) + Math.abs(u[2])) / n, 1e-12);
  }

  private static double euclidean(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    return Math.sqrt(s);
  }
}
