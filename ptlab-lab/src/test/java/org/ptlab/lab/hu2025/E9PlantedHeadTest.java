package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** The small linear algebra behind E9 part (vi)'s planted head. */
class E9PlantedHeadTest {
  @Test
  void directionMaximizesTheRatioOfVariances() {
    int d = 3; // A = diag(1, 4, 1), B = diag(2, 2, 1): ratios 2, 0.5, 1 → u = e₀
    double[] u = E9PlantedHead.direction(new double[] {1, 0, 0, 0, 4, 0, 0, 0, 1},
        new double[] {2, 0, 0, 0, 2, 0, 0, 0, 1}, d);
    assertEquals(1, Math.abs(u[0]), 1e-12);
    assertTrue(Math.abs(u[1]) + Math.abs(u[2]) < 1e-12);
  }
}
