package org.ptlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized element-wise loops and reductions on float arrays (Vector API, preferred species), with a scalar
 * tail. Each method writes only {@code o}. Sums reduce lane-wise then across lanes: a fixed order, so results
 * are reproducible (not equal to a sequential sum).
 */
public final class ElementwiseF32 {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Operation codes for {@link #binary}. */
  public static final int ADD = 0;
  public static final int SUB = 1;
  public static final int MUL = 2;
  public static final int DIV = 3;

  private ElementwiseF32() {}

  /** o[oo+i] = a[ao+i] (op) b[bo+i] for i in [0, n). One loop per op: a run-time operator defeats the JIT. */
  public static void binary(int op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    switch (op) {
      case ADD:
        for (; i < bound; i += L) FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
        break;
      case SUB:
        for (; i < bound; i += L) FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
        break;
      case MUL:
        for (; i < bound; i += L) FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
        break;
      default:
        for (; i < bound; i += L) FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
        break;
    }
  }

  /** o[oo+i] = g[go+i] where x[xo+i] &gt; 0, else 0 (ReLU's backward, as a blend: no branch to mispredict). */
  public static void reluBackward(float[] x, int xo, float[] g, int go, float[] o, int oo, int n) {
    int i = 0;
    FloatVector zero = FloatVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      zero.blend(FloatVector.fromArray(S, g, go + i), xv.compare(VectorOperators.GT, 0)).intoArray(o, oo + i);
    }
    for (; i < n; i++) o[oo + i] = x[xo + i] > 0 ? g[go + i] : 0;
  }

  /** a[off+j] ← exp(scale·a[off+j] − max) for j in [0, n); returns their sum. Modifies a. */
  public static float expShifted(float[] a, int off, int n, float scale, float max) {
    int j = 0;
    FloatVector acc = FloatVector.zero(S);
    for (int bound = S.loopBound(n); j < bound; j += L) {
      FloatVector.fromArray(S, a, off + j).mul(scale).sub(max).intoArray(a, off + j);
      exp(a, off + j, L);
      acc = acc.add(FloatVector.fromArray(S, a, off + j));
    }
    float sum = lanesInOrder(acc);
    for (; j < n; j++) {
      float e = (float) Math.exp(scale * a[off + j] - max);
      a[off + j] = e;
      sum += e;
    }
    return sum;
  }

  /** a[off+j] *= s. */
  public static void scale(float[] a, int off, int n, float s) {
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) FloatVector.fromArray(S, a, off + j).mul(s).intoArray(a, off + j);
    for (; j < n; j++) a[off + j] *= s;
  }

  /** o[oo+i] = s·a[ao+i] + c. */
  public static void affine(float s, float c, float[] a, int ao, float[] o, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, a, ao + i).fma(s, c).intoArray(o, oo + i);
    }
    for (; i < n; i++) o[oo + i] = s * a[ao + i] + c;
  }

  /** Σ a[ao+i] for i in [0, n). */
  public static float sum(float[] a, int ao, int n) {
    int i = 0;
    float total = 0;
    if (n >= 2 * L) {
      FloatVector acc = FloatVector.zero(S);
      for (int bound = S.loopBound(n); i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, a, ao + i));
      total = lanesInOrder(acc);
    }
    for (; i < n; i++) total += a[ao + i];
    return total;
  }

  /** max of a[ao+i] for i in [0, n), n ≥ 1 (NaN-free input assumed). */
  public static float max(float[] a, int ao, int n) {
    int i = 0;
    float m = Float.NEGATIVE_INFINITY;
    if (n >= 2 * L) {
      FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int bound = S.loopBound(n); i < bound; i += L) acc = acc.max(FloatVector.fromArray(S, a, ao + i));
      m = acc.reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) m = Math.max(m, a[ao + i]);
    return m;
  }

  /** Σ a[ao+i]·b[bo+i]. */
  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    float total = 0;
    if (n >= 2 * L) {
      FloatVector acc = FloatVector.zero(S);
      for (int bound = S.loopBound(n); i < bound; i += L) {
        acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
      }
      total = lanesInOrder(acc);
    }
    for (; i < n; i++) total += a[ao + i] * b[bo + i];
    return total;
  }
  // Abramowitz & Stegun 7.1.26: erf(z) = 1 − t(a1 + t(a2 + t(a3 + t(a4 + t·a5))))·e^{−z²}, t = 1/(1 + p·z), z ≥ 0,
  // |error| ≤ 1.5e-7: below float32's resolution of Φ, so float32 GELU needs no double-precision erf.
  private static final float P = 0.3275911f;
  private static final float A1 = 0.254829592f;
  private static final float A2 = -0.284496736f;
  private static final float A3 = 1.421413741f;
  private static final float A4 = -1.453152027f;
  private static final float A5 = 1.061405429f;
  private static final float INV_SQRT2 = 0.70710678f;
  private static final float INV_SQRT_2PI = 0.39894228f;

  /** out = x·Φ(x) and cdf = Φ(x) (saved for the backward), for n elements from the given offsets. */
  public static void gelu(float[] x, int xo, float[] out, float[] cdf, int o, int n) {
    int i = 0;
    float[] tmp = new float[L];
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      FloatVector z = xv.mul(INV_SQRT2);
      FloatVector az = z.abs();
      FloatVector t = FloatVector.broadcast(S, 1f).div(az.mul(P).add(1f));
      FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
      FloatVector erfAbs = poly.mul(exp(az.mul(az).neg(), tmp)).neg().add(1f);
      FloatVector erf = erfAbs.blend(erfAbs.neg(), z.compare(VectorOperators.LT, 0f));
      FloatVector phi = erf.add(1f).mul(0.5f);
      phi.intoArray(cdf, o + i);
      xv.mul(phi).intoArray(out, o + i);
    }
    for (; i < n; i++) {
      float z = x[xo + i] * INV_SQRT2;
      float az = Math.abs(z);
      float t = 1f / (1f + P * az);
      float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
      float erfAbs = 1f - poly * (float) Math.exp(-az * az);
      float phi = 0.5f * (1f + (z < 0 ? -erfAbs : erfAbs));
      cdf[o + i] = phi;
      out[o + i] = x[xo + i] * phi;
    }
  }

  /** o = g·(Φ(x) + x·φ(x)), the GELU derivative, with Φ from {@link #gelu}. */
  public static void geluBackward(float[] x, int xo, float[] cdf, float[] g, int go, float[] out, int o, int n) {
    int i = 0;
    float[] tmp = new float[L];
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      FloatVector pdf = exp(xv.mul(xv).mul(-0.5f), tmp).mul(INV_SQRT_2PI);
      FloatVector d = xv.mul(pdf).add(FloatVector.fromArray(S, cdf, o + i));
      d.mul(FloatVector.fromArray(S, g, go + i)).intoArray(out, o + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      float pdf = INV_SQRT_2PI * (float) Math.exp(-0.5f * v * v);
      out[o + i] = g[go + i] * (cdf[o + i] + v * pdf);
    }
  }

  /**
   * a[off+k] ← e^a[off+k], scalar. Not {@code lanewise(EXP)}: compiled by C2 it gives other last bits than the
   * interpreted Vector API fallback for a few percent of inputs, so a run's bits would depend on JIT warm-up (a
   * vector exp built from FMA and bit moves showed the same drift in compiled softmax loops). {@link Math#exp} gives
   * the same bits interpreted and compiled.
   */
  static void exp(float[] a, int off, int n) {
    for (int k = 0; k < n; k++) a[off + k] = (float) Math.exp(a[off + k]);
  }

  /** e^v lane by lane through {@link #exp(float[], int, int)}; {@code tmp} holds one vector. */
  private static FloatVector exp(FloatVector v, float[] tmp) {
    v.intoArray(tmp, 0);
    exp(tmp, 0, L);
    return FloatVector.fromArray(S, tmp, 0);
  }

  /**
   * Σ of the lanes, left to right. Not {@code reduceLanes(ADD)}: on JDK 25 its JIT-compiled form sums in another
   * order than the interpreter, so results would change after warm-up (same seed, different bits).
   */
  private static float lanesInOrder(FloatVector acc) {
    float[] lanes = acc.toArray();
    float total = 0;
    for (float x : lanes) total += x;
    return total;
  }
}
