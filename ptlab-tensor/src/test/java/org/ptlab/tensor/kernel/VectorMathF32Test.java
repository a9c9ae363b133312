package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.ops.Erf;
import org.ptlab.tensor.random.Rng;

/** VectorMathF32: accuracy against double references, vector = scalar twin, and the same bits cold and warm. */
class VectorMathF32Test {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Test
  void expWithinOneUlp() {
    float[] x = grid(-87.3f, 88f, 400_001);
    float[] e = lanes(VectorMathF32::exp, x);
    for (int i = 0; i < x.length; i++) {
      double ref = Math.exp(x[i]);
      assertTrue(Math.abs(e[i] - ref) <= Math.ulp((float) ref), "exp(" + x[i] + ") = " + e[i] + ", exact " + ref);
    }
  }

  @Test
  void expEdges() {
    float[] x = {Float.NEGATIVE_INFINITY, -1000f, -87.34f, 0f, -0f, 1f, 88f, 100f, Float.POSITIVE_INFINITY, Float.NaN,
        VectorMathF32.EXP_LO, -1e-30f, 1e-30f};
    float[] e = lanes(VectorMathF32::exp, x);
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
    float[] far = cdf(new float[] {-20f, 20f, Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, Float.NaN});
    assertTrue(far[0] < 2e-39f && far[2] < 2e-39f && far[1] == 1f && far[3] == 1f, java.util.Arrays.toString(far));
    assertTrue(Float.isNaN(far[4]));
  }

  /** Loop tails use the scalar twins: they must give the vector lanes' bits. */
  @Test
  void scalarTwinsGiveVectorBits() {
    float[] x = randomInputs(50_000);
    float[] ve = lanes(VectorMathF32::exp, x);
    float[] vc = cdf(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(ve[i]), Float.floatToRawIntBits(VectorMathF32.exp(x[i])), "exp " + x[i]);
      assertEquals(Float.floatToRawIntBits(vc[i]), Float.floatToRawIntBits(VectorMathF32.normalCdf(x[i])),
          "Φ " + x[i]);
    }
  }

  /** The first (interpreted) call and a C2-compiled one give the same bits. */
  @Test
  void sameBitsColdAndWarm() {
    float[] x = randomInputs(4096);
    float[] coldExp = lanes(VectorMathF32::exp, x);
    float[] coldCdf = cdf(x);
    for (int rep = 0; rep < 3000; rep++) {
      lanes(VectorMathF32::exp, x);
      cdf(x);
    }
    assertArrayEquals(coldExp, lanes(VectorMathF32::exp, x), 0f);
    assertArrayEquals(coldCdf, cdf(x), 0f);
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

  /** Φ over x by the array kernel, whole vectors only (x padded with zeros), so no element takes the scalar tail. */
  private static float[] cdf(float[] x) {
    int l = S.length();
    float[] padded = java.util.Arrays.copyOf(x, (x.length + l - 1) / l * l);
    float[] out = new float[padded.length];
    VectorMathF32.normalCdf(padded, 0, out, 0, padded.length);
    return java.util.Arrays.copyOf(out, x.length);
  }

  /** f applied to whole vectors of x (padded with zeros at the end). */
  private static float[] lanes(UnaryOperator<FloatVector> f, float[] x) {
    int l = S.length();
    float[] padded = java.util.Arrays.copyOf(x, (x.length + l - 1) / l * l);
    float[] out = new float[padded.length];
    for (int i = 0; i < padded.length; i += l) f.apply(FloatVector.fromArray(S, padded, i)).intoArray(out, i);
    return java.util.Arrays.copyOf(out, x.length);
  }
}
