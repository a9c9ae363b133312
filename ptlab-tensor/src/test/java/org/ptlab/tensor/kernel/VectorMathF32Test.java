package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.ops.Erf;
import org.ptlab.tensor.random.Rng;

/**
 * VectorMathF32: accuracy against double references, the scalar tails give the vector lanes' bits, and the same bits
 * cold (interpreted) and warm (C2).
 */
class VectorMathF32Test {
  private static final int L = FloatVector.SPECIES_PREFERRED.length();

  /** e^x by the kernel, every element in a vector (the array padded to whole vectors). */
  private static float[] exp(float[] x) {
    float[] a = Arrays.copyOf(x, (x.length + L - 1) / L * L);
    VectorMathF32.exp(a, 0, a.length, 1f, 0f);
    return Arrays.copyOf(a, x.length);
  }

  /** Φ by the kernel, every element in a vector. */
  private static float[] cdf(float[] x) {
    float[] padded = Arrays.copyOf(x, (x.length + L - 1) / L * L);
    float[] out = new float[padded.length];
    VectorMathF32.normalCdf(padded, 0, out, 0, padded.length);
    return Arrays.copyOf(out, x.length);
  }

  @Test
  void expWithinOneUlp() {
    float[] x = grid(-87.3f, 88f, 400_001);
    float[] e = exp(x);
    for (int i = 0; i < x.length; i++) {
      double ref = Math.exp(x[i]);
      assertTrue(Math.abs(e[i] - ref) <= Math.ulp((float) ref), "exp(" + x[i] + ") = " + e[i] + ", exact " + ref);
    }
  }

  @Test
  void expEdgesAndAffineArgument() {
    float[] x = {Float.NEGATIVE_INFINITY, -1000f, -87.34f, 0f, -0f, 1f, 88f, 100f, Float.POSITIVE_INFINITY, Float.NaN,
        VectorMathF32.EXP_LO, -1e-30f, 1e-30f};
    float[] e = exp(x);
    assertEquals(0f, e[0]);
    assertEquals(0f, e[1]);
    assertEquals(0f, e[2]);
    assertEquals(1f, e[3]);
    assertEquals(1f, e[4]);
    assertEquals((float) Math.E, e[5], Math.ulp((float) Math.E));
    assertEquals((float) Math.exp(88), e[6], Math.ulp((float) Math.exp(88)));
    assertEquals(e[6], e[7]); // clamped at EXP_HI
    assertEquals(e[6], e[8]);
    assertTrue(Float.isNaN(e[9]));
    assertTrue(e[10] > 0 && e[10] < 1.2e-38f);
    assertEquals(1f, e[11]);
    assertEquals(1f, e[12]);
    float[] a = {1f, 2f, 3f};
    VectorMathF32.exp(a, 0, 3, 0.5f, 2f); // e^{0.5·a − 2}
    for (int i = 0; i < 3; i++) assertEquals((float) Math.exp(0.5 * (i + 1) - 2), a[i], 2e-7f);
  }

  /** Absolute error against the exact Φ(x); relative error against Φ of the float z = x/√2 the kernel computes. */
  @Test
  void normalCdfAccuracy() {
    float[] x = grid(-14f, 14f, 280_001);
    float[] phi = cdf(x);
    double maxAbs = 0;
    double maxUlpNonNegative = 0;
    double maxUlpNegative = 0;
    for (int i = 0; i < x.length; i++) {
      double exact = 0.5 * (1 + Erf.erf(x[i] / Math.sqrt(2)));
      maxAbs = Math.max(maxAbs, Math.abs(phi[i] - exact));
      if (x[i] < -5) continue; // the double reference 1 + erf loses relative accuracy further out
      double ofZ = 0.5 * (1 + Erf.erf(x[i] * 0.70710678f));
      double ulps = Math.abs(phi[i] - ofZ) / Math.ulp((float) ofZ);
      if (x[i] >= 0) maxUlpNonNegative = Math.max(maxUlpNonNegative, ulps);
      else maxUlpNegative = Math.max(maxUlpNegative, ulps);
    }
    assertTrue(maxAbs <= 1e-7, "max |Φ − exact| " + maxAbs);
    assertTrue(maxUlpNonNegative <= 1.0, "x ≥ 0: max ulps " + maxUlpNonNegative);
    assertTrue(maxUlpNegative <= 6, "x < 0: max ulps " + maxUlpNegative);
    assertEquals(0.5f, cdf(new float[] {0f})[0]);
    float[] far = cdf(new float[] {-20f, 20f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN});
    assertTrue(far[0] < 2e-39f && far[2] < 2e-39f && far[1] == 1f && far[3] == 1f, Arrays.toString(far));
    assertTrue(Float.isNaN(far[4]));
  }

  /** Each input once in a vector lane and once in the scalar tail: the same bits. */
  @Test
  void scalarTailsGiveVectorBits() {
    float[] x = randomInputs(L * 64);
    for (int t = 0; t < x.length; t += L - 1) {
      float[] in = Arrays.copyOf(x, L * 64 + L - 1); // the last L − 1 elements are a tail
      System.arraycopy(x, t, in, L * 64, Math.min(L - 1, x.length - t));
      int tail = Math.min(L - 1, x.length - t);
      float[] e = in.clone();
      VectorMathF32.exp(e, 0, in.length, 1f, 0f);
      float[] phi = new float[in.length];
      VectorMathF32.normalCdf(in, 0, phi, 0, in.length);
      for (int k = 0; k < tail; k++) {
        assertEquals(Float.floatToRawIntBits(e[t + k]), Float.floatToRawIntBits(e[L * 64 + k]), "exp " + x[t + k]);
        assertEquals(Float.floatToRawIntBits(phi[t + k]), Float.floatToRawIntBits(phi[L * 64 + k]), "Φ " + x[t + k]);
      }
    }
  }

  /** The first (interpreted) call and a C2-compiled one give the same bits. */
  @Test
  void sameBitsColdAndWarm() {
    float[] x = randomInputs(4099);
    UnaryOperator<float[]> both = in -> {
      float[] e = in.clone();
      VectorMathF32.exp(e, 0, e.length, 0.75f, 0.5f);
      float[] phi = new float[in.length];
      VectorMathF32.normalCdf(in, 0, phi, 0, in.length);
      float[] out = Arrays.copyOf(e, 2 * in.length);
      System.arraycopy(phi, 0, out, in.length, in.length);
      return out;
    };
    float[] cold = both.apply(x);
    for (int rep = 0; rep < 3000; rep++) both.apply(x);
    assertArrayEquals(cold, both.apply(x), 0f);
  }

  /** Gaussian (scale 3), wide uniform, and a few special values. */
  private static float[] randomInputs(int n) {
    Rng rng = new Rng(11);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (i % 2 == 0 ? 3 * rng.nextGaussian() : 200 * rng.nextDouble() - 100);
    x[0] = Float.NaN;
    x[1] = Float.NEGATIVE_INFINITY;
    x[2] = Float.POSITIVE_INFINITY;
    x[3] = -0f;
    return x;
  }

  private static float[] grid(float lo, float hi, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * i / (n - 1);
    return x;
  }
}
