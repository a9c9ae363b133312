package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** VectorMathF64.exp: within 1 ulp of Math.exp, the edges, and the scalar tail gives the vector lanes' bits. */
class VectorMathF64Test {
  private static final int L = DoubleVector.SPECIES_PREFERRED.length();

  /** e^x by the kernel, every element in a vector (the array padded to whole vectors). */
  private static double[] exp(double[] x) {
    double[] a = Arrays.copyOf(x, (x.length + L - 1) / L * L);
    VectorMathF64.exp(a, 0, a.length, 1, 0);
    return Arrays.copyOf(a, x.length);
  }

  @Test
  void expWithinOneUlpOfMathExp() {
    int n = 400_001;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = -708 + (709.0 + 708) * i / (n - 1);
    double[] e = exp(x);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double want = Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(e[i] - want) / Math.ulp(want));
    }
    assertTrue(worst <= 1, "max error " + worst + " ulp");
    // the softmax range, finely: x in [-40, 0]
    for (int i = 0; i < n; i++) x[i] = -40.0 * i / (n - 1);
    e = exp(x);
    for (int i = 0; i < n; i++) {
      double want = Math.exp(x[i]);
      assertTrue(Math.abs(e[i] - want) <= Math.ulp(want), "x=" + x[i] + ": " + e[i] + " vs " + want);
    }
  }

  @Test
  void edges() {
    double[] x = {0, -0.0, 1e-300, -1e-300, -708, -708.5, -1e6, Double.NEGATIVE_INFINITY, 709, 1e6, Double.NaN};
    double[] e = exp(x);
    assertEquals(1.0, e[0]);
    assertEquals(1.0, e[1]);
    assertEquals(1.0, e[2]);
    assertEquals(1.0, e[3]);
    assertEquals(Math.exp(-708), e[4], Math.ulp(Math.exp(-708)));
    assertEquals(0.0, e[5]); // flushed below EXP_LO
    assertEquals(0.0, e[6]);
    assertEquals(0.0, e[7]);
    assertEquals(Math.exp(709), e[8], Math.ulp(Math.exp(709)));
    assertEquals(e[8], e[9]); // clamped, finite
    assertTrue(Double.isNaN(e[10]));
  }

  @Test
  void scaleAndShiftAndTailGiveTheVectorBits() {
    int n = 5 * L + 3; // vectors and a tail
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.sin(i * 1.7) * 3;
    double[] a = x.clone();
    VectorMathF64.exp(a, 0, n, 0.75, 1.25);
    for (int i = 0; i < n; i++) {
      double[] one = {x[i]};
      VectorMathF64.exp(one, 0, 1, 0.75, 1.25); // the scalar tail
      assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(one[0]), "at " + i);
      assertEquals(Math.exp(x[i] * 0.75 - 1.25), a[i], Math.ulp(a[i]), "at " + i);
    }
  }
}
