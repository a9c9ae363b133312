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

  /** o[oo+i] = max(x[xo+i], 0) with Math.max's semantics (NaN stays NaN, −0 becomes +0), as ReLU's forward. */
  public static void relu(float[] x, int xo, float[] o, int oo, int n) {
    int i = 0;
    FloatVector zero = FloatVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += L) FloatVector.fromArray(S, x, xo + i).max(zero).intoArray(o, oo + i);
    for (; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0f);
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

  /**
   * a[off+j] ← exp(scale·a[off+j] − max) for j in [0, n); returns their sum (whole vectors lane-wise, then the lanes
   * in order, then the tail). Modifies a. The exponential is {@link VectorMathF32#exp}.
   */
  public static float expShifted(float[] a, int off, int n, float scale, float max) {
    VectorMathF32.exp(a, off, n, scale, max);
    int j = 0;
    FloatVector acc = FloatVector.zero(S);
    int bound = S.loopBound(n);
    for (; j < bound; j += L) acc = acc.add(FloatVector.fromArray(S, a, off + j));
    float sum = bound == 0 ? 0f : lanesInOrder(acc); // no whole vector: the lanes would all be 0
    for (; j < n; j++) sum += a[off + j];
    return sum;
  }

  /**
   * Softmax of each of {@code rows} rows of n at a[off + r·n], of scale·row, in place: the same bits as
   * {@link #max}, {@link #expShifted} with max = (float) (scale·max(row)), then {@link #scale} by 1/Σ, row by row, but
   * one exponential call for the block (attention's rows are short: calls, not arithmetic, dominated). scale ≥ 0.
   */
  public static void softmaxRows(float[] a, int off, int rows, int n, double scale) {
    float fs = (float) scale;
    int bound = S.loopBound(n);
    for (int r = 0, ro = off; r < rows; r++, ro += n) { // row ← scale·row − scale·max(row)
      float shift = (float) (scale * max(a, ro, n));
      FloatVector vs = FloatVector.broadcast(S, fs);
      FloatVector vShift = FloatVector.broadcast(S, shift);
      int j = 0;
      for (; j < bound; j += L) FloatVector.fromArray(S, a, ro + j).mul(vs).sub(vShift).intoArray(a, ro + j);
      for (; j < n; j++) a[ro + j] = a[ro + j] * fs - shift;
    }
    VectorMathF32.exp(a, off, rows * n, 1f, 0f); // 1·x − 0 is x: the bits of exp(scale·row − shift)
    for (int r = 0, ro = off; r < rows; r++, ro += n) {
      int j = 0;
      FloatVector acc = FloatVector.zero(S);
      for (; j < bound; j += L) acc = acc.add(FloatVector.fromArray(S, a, ro + j));
      float sum = bound == 0 ? 0f : lanesInOrder(acc); // rows shorter than a vector (tiny attention): no lanes
      for (; j < n; j++) sum += a[ro + j];
      scale(a, ro, n, 1 / sum);
    }
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
  private static final float INV_SQRT_2PI = 0.39894228f;

  /**
   * out = x·Φ(x) and cdf = Φ(x) (saved for the backward), for n elements from the given offsets. cdf may be out
   * itself (no Φ kept); x must not overlap either.
   */
  public static void gelu(float[] x, int xo, float[] out, float[] cdf, int o, int n) {
    VectorMathF32.normalCdf(x, xo, cdf, o, n);
    binary(MUL, x, xo, cdf, o, out, o, n);
  }

  /** x ← x·Φ(x) in place for n elements from off; scratch holds at least n floats (Φ goes there). */
  public static void geluInPlace(float[] x, int off, int n, float[] scratch) {
    VectorMathF32.normalCdf(x, off, scratch, 0, n);
    binary(MUL, x, off, scratch, 0, x, off, n);
  }

  /**
   * o = g·(Φ(x) + x·φ(x)), the GELU derivative, with Φ from {@link #gelu} and φ(x) = e^{−x²/2}/√(2π). As in
   * {@link VectorMathF32#normalCdf}, x² is split into its float and its rounding error so φ stays accurate in the
   * tails. Three passes over o (−x²/2, its exponential, the rest): see VectorMathF32 on compiled size.
   */
  public static void geluBackward(float[] x, int xo, float[] cdf, float[] g, int go, float[] out, int o, int n) {
    int i = 0;
    FloatVector minusHalf = FloatVector.broadcast(S, -0.5f);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      xv.mul(xv).mul(minusHalf).intoArray(out, o + i);
    }
    for (; i < n; i++) out[o + i] = x[xo + i] * x[xo + i] * -0.5f;
    VectorMathF32.exp(out, o, n, 1f, 0f); // e^{−xx/2} (1·a − 0 is a exactly)
    i = 0;
    FloatVector invSqrt2Pi = FloatVector.broadcast(S, INV_SQRT_2PI);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      FloatVector xx = xv.mul(xv);
      FloatVector xxErr = xv.fma(xv, xx.neg());
      FloatVector e = FloatVector.fromArray(S, out, o + i);
      FloatVector pdf = e.mul(minusHalf).fma(xxErr, e).mul(invSqrt2Pi); // e^{−xx/2}·(1 − xxErr/2)/√(2π)
      FloatVector d = xv.fma(pdf, FloatVector.fromArray(S, cdf, o + i));
      d.mul(FloatVector.fromArray(S, g, go + i)).intoArray(out, o + i);
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      float xx = v * v;
      float xxErr = Math.fma(v, v, -xx);
      float e = out[o + i];
      float pdf = Math.fma(e * -0.5f, xxErr, e) * INV_SQRT_2PI;
      out[o + i] = Math.fma(v, pdf, cdf[o + i]) * g[go + i];
    }
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
