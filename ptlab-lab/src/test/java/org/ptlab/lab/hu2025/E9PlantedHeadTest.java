package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** The small linear algebra behind E9 part (vi)'s planted head. */
class E9PlantedHeadTest {
  @Test
  void jacobiDiagonalizesASymmetricMatrix() {
    Rng rng = new Rng(5);
    int d = 6;
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = rng.nextGaussian();
    double[] diag = a.clone();
    double[] e = E9PlantedHead.jacobi(diag, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double rec = 0; // (E Λ Eᵀ)_ij
        for (int k = 0; k < d; k++) rec += e[i * d + k] * diag[k * d + k] * e[j * d + k];
        assertEquals(a[i * d + j], rec, 1e-12);
        if (i != j) assertEquals(0, diag[i * d + j], 1e-12);
      }
    }
  }

  @Test
  void directionMaximizesTheRatioOfVariances() {
    int d = 3; // A = diag(1, 4, 1), B = diag(2, 2, 1): ratios 2, 0.5, 1 → u = e₀
    double[] u = E9PlantedHead.direction(new double[] {1, 0, 0, 0, 4, 0, 0, 0, 1},
        new double[] {2, 0, 0, 0, 2, 0, 0, 0, 1}, d);
    assertEquals(1, Math.abs(u[0]), 1e-12);
    assertTrue(Math.abs(u[1]) + Math.abs(u[2]) < 1e-12);
  }
}
