package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

class SpectralNormTest {
  @Test
  void diagonalAndRankOneMatricesHaveTheirKnownNorms() {
    assertEquals(3.0, SpectralNorm.of(new double[][] {{1, 0, 0}, {0, -3, 0}, {0, 0, 2}}), 1e-14);
    // u·vᵀ has the single singular value ‖u‖·‖v‖
    double[] u = {1, 2, 2};
    double[] v = {3, 4};
    double[][] p = new double[3][2];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) p[i][j] = u[i] * v[j];
    assertEquals(3.0 * 5.0, SpectralNorm.of(p), 1e-13);
    assertEquals(0.0, SpectralNorm.of(new double[][] {{0, 0}, {0, 0}}), 0);
  }

  @Test
  void matchesAPowerIterationOnARandomPrompt() {
    Rng rng = new Rng(7);
    int m = 20;
    int d = 384;
    double[][] p = new double[m][d];
    for (double[] row : p) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
    double[] x = new double[d];
    x[0] = 1;
    double sigma = 0;
    for (int it = 0; it < 5000; it++) { // x ← PᵀP x / ‖·‖
      double[] y = new double[m];
      for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) y[i] += p[i][j] * x[j];
      double[] z = new double[d];
      for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) z[j] += p[i][j] * y[i];
      double nz = Math.sqrt(java.util.Arrays.stream(z).map(a -> a * a).sum());
      double ny = Math.sqrt(java.util.Arrays.stream(y).map(a -> a * a).sum());
      sigma = ny; // ‖P x‖ with ‖x‖ = 1
      for (int j = 0; j < d; j++) x[j] = z[j] / nz;
    }
    assertEquals(sigma, SpectralNorm.of(p), 1e-9 * sigma);
  }
}
