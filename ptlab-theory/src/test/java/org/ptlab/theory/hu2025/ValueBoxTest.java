package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** {@link ValueBox} and {@link PolyPlan#maxRowNormSq} against plain scalar loops: the same bits, NaN, −0 and masks. */
class ValueBoxTest {
  @Test
  void boxAndNormsEqualScalarLoops() {
    Rng rng = new Rng(3);
    for (int dv : new int[] {1, 2, 3, 4, 5, 8, 16}) {
      for (int n : new int[] {0, 1, 3, 7, 8, 9, 100, 4099}) {
        double[] v = Data.uniform(rng, n, dv, -3, 2);
        if (n > 5) v[(n / 2) * dv] = -0.0;
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) keep[i] = rng.nextDouble() < 0.3;
        for (boolean[] mask : new boolean[][] {null, keep, new boolean[n]}) {
          ValueBox box = ValueBox.of(v, n, dv, mask);
          double[] lo = new double[dv];
          double[] hi = new double[dv];
          java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
          java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
          double vMax = 0;
          double normSq = 0;
          for (int i = 0; i < n; i++) {
            if (mask != null && !mask[i]) continue;
            double ss = 0;
            for (int c = 0; c < dv; c++) {
              lo[c] = Math.min(lo[c], v[i * dv + c]);
              hi[c] = Math.max(hi[c], v[i * dv + c]);
              vMax = Math.max(vMax, Math.abs(v[i * dv + c]));
              ss += v[i * dv + c] * v[i * dv + c];
            }
            normSq = Math.max(normSq, ss);
          }
          String at = "dv=" + dv + " n=" + n;
          assertArrayEquals(lo, box.lo(), 0, at);
          assertArrayEquals(hi, box.hi(), 0, at);
          assertEquals(vMax, box.vMax(), 0, at);
          assertEquals(normSq, PolyPlan.maxRowNormSq(v, n, dv, mask), 0, at);
        }
      }
    }
  }

  @Test
  void nanPropagatesSoThePlanRefusesIt() {
    double[] v = new double[64];
    v[37] = Double.NaN;
    assertTrue(Double.isNaN(ValueBox.of(v, 16, 4, null).vMax()));
    assertTrue(Double.isNaN(PolyPlan.maxRowNormSq(v, 16, 4, null)));
  }
}
