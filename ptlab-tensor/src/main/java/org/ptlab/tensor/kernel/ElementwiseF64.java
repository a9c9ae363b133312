package org.ptlab.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized element-wise loops and reductions on double arrays (Vector API, preferred species), with a scalar
 * tail. Each method writes only {@code o}. Sums reduce lane-wise then across lanes: a fixed order, so results
 * are reproducible (not equal to a sequential sum).
 */
public final class ElementwiseF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Operation codes for {@link #binary}. */
  public static final int ADD = 0;
  public static final int SUB = 1;
  public static final int MUL = 2;
  public static final int DIV = 3;

  private ElementwiseF64() {}

  /** o[oo+i] = a[ao+i] (op) b[bo+i] for i in [0, n). One loop per op: a run-time operator defeats the JIT. */
  public static void binary(int op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    switch (op) {
      case ADD:
        for (; i < bound; i += L) DoubleVector.fromArray(S, a, ao + i).add(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
        break;
      case SUB:
        for (; i < bound; i += L) DoubleVector.fromArray(S, a, ao + i).sub(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
        break;
      case MUL:
        for (; i < bound; i += L) DoubleVector.fromArray(S, a, ao + i).mul(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
        break;
      default:
        for (; i < bound; i += L) DoubleVector.fromArray(S, a, ao + i).div(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
        break;
    }
  }

  /** o[oo+i] = x[xo+i] where it is &gt; 0, else 0 (NaN and −0 give +0), as ReLU's forward; a blend, no branch. */
  public static void relu(double[] x, int xo, double[] o, int oo, int n) {
    int i = 0;
    DoubleVector zero = DoubleVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      DoubleVector xv = DoubleVector.fromArray(S, x, xo + i);
      zero.blend(xv, xv.compare(VectorOperators.GT, 0)).intoArray(o, oo + i);
    }
    for (; i < n; i++) o[oo + i] = x[xo + i] > 0 ? x[xo + i] : 0;
  }

  /** o[oo+i] = g[go+i] where x[xo+i] &gt; 0, else 0 (ReLU's backward, as a blend: no branch to mispredict). */
  public static void reluBackward(double[] x, int xo, double[] g, int go, double[] o, int oo, int n) {
    int i = 0;
    DoubleVector zero = DoubleVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      DoubleVector xv = DoubleVector.fromArray(S, x, xo + i);
      zero.blend(DoubleVector.fromArray(S, g, go + i), xv.compare(VectorOperators.GT, 0)).intoArray(o, oo + i);
    }
    for (; i < n; i++) o[oo + i] = x[xo + i] > 0 ? g[go + i] : 0;
  }

  /** a[off+j] ← exp(scale·a[off+j] − max) for j in [0, n); returns their sum. Modifies a. */
  public static double expShifted(double[] a, int off, int n, double scale, double max) {
    if (n < 2 * L) { // each lane would hold at most one term (0 + e = e): the lane order is the sequential order
      double sum = 0;
      for (int j = 0; j < n; j++) {
        double e = Math.exp(scale * a[off + j] - max);
        a[off + j] = e;
        sum += e;
      }
      return sum;
    }
    int j = 0;
    DoubleVector acc = DoubleVector.zero(S);
    for (int bound = S.loopBound(n); j < bound; j += L) {
      DoubleVector.fromArray(S, a, off + j).mul(scale).sub(max).intoArray(a, off + j);
      for (int k = 0; k < L; k++) a[off + j + k] = Math.exp(a[off + j + k]); // scalar: see VectorMathF32
      acc = acc.add(DoubleVector.fromArray(S, a, off + j));
    }
    double sum = lanesInOrder(acc);
    for (; j < n; j++) {
      double e = (double) Math.exp(scale * a[off + j] - max);
      a[off + j] = e;
      sum += e;
    }
    return sum;
  }

  /** a[off+j] *= s. */
  public static void scale(double[] a, int off, int n, double s) {
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) DoubleVector.fromArray(S, a, off + j).mul(s).intoArray(a, off + j);
    for (; j < n; j++) a[off + j] *= s;
  }

  /** o[oo+i] = s·a[ao+i] + c. */
  public static void affine(double s, double c, double[] a, int ao, double[] o, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      DoubleVector.fromArray(S, a, ao + i).fma(s, c).intoArray(o, oo + i);
    }
    for (; i < n; i++) o[oo + i] = s * a[ao + i] + c;
  }

  /** Σ a[ao+i] for i in [0, n). */
  public static double sum(double[] a, int ao, int n) {
    int i = 0;
    double total = 0;
    if (n >= 2 * L) {
      DoubleVector acc = DoubleVector.zero(S);
      for (int bound = S.loopBound(n); i < bound; i += L) acc = acc.add(DoubleVector.fromArray(S, a, ao + i));
      total = lanesInOrder(acc);
    }
    for (; i < n; i++) total += a[ao + i];
    return total;
  }

  /** max of a[ao+i] for i in [0, n), n ≥ 1 (NaN-free input assumed). */
  public static double max(double[] a, int ao, int n) {
    int i = 0;
    double m = Double.NEGATIVE_INFINITY;
    if (n >= 2 * L) {
      DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
      for (int bound = S.loopBound(n); i < bound; i += L) acc = acc.max(DoubleVector.fromArray(S, a, ao + i));
      m = acc.reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) m = Math.max(m, a[ao + i]);
    return m;
  }

  /** Σ a[ao+i]·b[bo+i]. */
  public static double dot(double[] a, int ao, double[] b, int bo, int n) {
    int i = 0;
    double total = 0;
    if (n >= 2 * L) {
      DoubleVector acc = DoubleVector.zero(S);
      for (int bound = S.loopBound(n); i < bound; i += L) {
        acc = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc);
      }
      total = lanesInOrder(acc);
    }
    for (; i < n; i++) total += a[ao + i] * b[bo + i];
    return total;
  }

  /**
   * Σ of the lanes, left to right. Not {@code reduceLanes(ADD)}: on JDK 25 its JIT-compiled form sums in another
   * order than the interpreter, so results would change after warm-up (same seed, different bits).
   */
  private static double lanesInOrder(DoubleVector acc) {
    double[] lanes = acc.toArray();
    double total = 0;
    for (double x : lanes) total += x;
    return total;
  }
}
