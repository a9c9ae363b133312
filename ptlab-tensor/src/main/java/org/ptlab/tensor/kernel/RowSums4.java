package org.ptlab.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The layer norm's row passes with their sums as four interleaved double partial sums (element j goes to sum
 * j mod 4 for j below n rounded down to 4, the tail to sum 0) combined as (s0 + s1) + (s2 + s3): exactly the order of
 * the scalar loops in {@code ops.Norms}, with the four sums as the lanes of one 256-bit vector. Every lane operation
 * is a single IEEE add, subtract, multiply or float→double widening (no fused multiply-add, no lane reduction), so
 * the results are the scalar loops' bits, interpreted or compiled.
 *
 * <p>{@link #VECTOR} is false where 256-bit double vectors are not native (e.g. 128-bit NEON): the Vector API would
 * emulate them slowly there, and the callers keep their scalar loops.
 */
public final class RowSums4 {
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
  /** Whether these methods are worth calling on this machine. */
  public static final boolean VECTOR = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

  private RowSums4() {}

  /** buf[0..n) ← a[pos..pos+n); returns their sum. */
  public static double load(double[] a, int pos, double[] buf, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector v = DoubleVector.fromArray(D4, a, pos + j);
      v.intoArray(buf, j);
      acc = acc.add(v);
    }
    double s0 = acc.lane(0);
    for (; j < n; j++) s0 += buf[j] = a[pos + j];
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  /** buf[0..n) ← a[pos..pos+n) widened to double; returns their sum. */
  public static double load(float[] a, int pos, double[] buf, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector v = widen(FloatVector.fromArray(F4, a, pos + j));
      v.intoArray(buf, j);
      acc = acc.add(v);
    }
    double s0 = acc.lane(0);
    for (; j < n; j++) s0 += buf[j] = a[pos + j];
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  /** buf[0..n) ← x[px+j] + y[py+j]; returns their sum. */
  public static double loadSum(double[] x, int px, double[] y, int py, double[] buf, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector v = DoubleVector.fromArray(D4, x, px + j).add(DoubleVector.fromArray(D4, y, py + j));
      v.intoArray(buf, j);
      acc = acc.add(v);
    }
    double s0 = acc.lane(0);
    for (; j < n; j++) s0 += buf[j] = x[px + j] + y[py + j];
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  /** buf[0..n) ← the float sums x[px+j] + y[py+j] widened to double; returns their sum. */
  public static double loadSum(float[] x, int px, float[] y, int py, double[] buf, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector v = widen(FloatVector.fromArray(F4, x, px + j).add(FloatVector.fromArray(F4, y, py + j)));
      v.intoArray(buf, j);
      acc = acc.add(v);
    }
    double s0 = acc.lane(0);
    for (; j < n; j++) s0 += buf[j] = x[px + j] + y[py + j];
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  /** row[j] ← row[j] − mean; returns Σ of the squares of the results. */
  public static double centre(double[] row, double mean, int n) {
    DoubleVector acc = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector c = DoubleVector.fromArray(D4, row, j).sub(mean);
      c.intoArray(row, j);
      acc = acc.add(c.mul(c));
    }
    double s0 = acc.lane(0);
    for (; j < n; j++) {
      double c = row[j] -= mean;
      s0 += c * c;
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  /** sums ← {Σ dh, Σ dh⊙h} over [0, n). */
  public static void gradSums(double[] dh, double[] h, double[] sums, int n) {
    DoubleVector s = DoubleVector.zero(D4);
    DoubleVector t = DoubleVector.zero(D4);
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      DoubleVector d = DoubleVector.fromArray(D4, dh, j);
      s = s.add(d);
      t = t.add(d.mul(DoubleVector.fromArray(D4, h, j)));
    }
    double s0 = s.lane(0);
    double t0 = t.lane(0);
    for (; j < n; j++) {
      s0 += dh[j];
      t0 += dh[j] * h[j];
    }
    sums[0] = (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
    sums[1] = (t0 + t.lane(1)) + (t.lane(2) + t.lane(3));
  }

  private static DoubleVector widen(FloatVector f) {
    return (DoubleVector) f.convertShape(VectorOperators.F2D, D4, 0);
  }
}
