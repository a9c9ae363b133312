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

  /** o[oo+i] = a[ao+i] (op) b[bo+i] for i in [0, n). */
  public static void binary(int op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
    int i = 0;
    if (n >= L) {
      VectorOperators.Binary vop = op == ADD ? VectorOperators.ADD : op == SUB ? VectorOperators.SUB
          : op == MUL ? VectorOperators.MUL : VectorOperators.DIV;
      for (int bound = S.loopBound(n); i < bound; i += L) {
        DoubleVector.fromArray(S, a, ao + i).lanewise(vop, DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
      }
    }
    for (; i < n; i++) {
      double x = a[ao + i];
      double y = b[bo + i];
      o[oo + i] = op == ADD ? x + y : op == SUB ? x - y : op == MUL ? x * y : x / y;
    }
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
      total = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) total += a[ao + i];
    return total;
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
      total = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) total += a[ao + i] * b[bo + i];
    return total;
  }
}
