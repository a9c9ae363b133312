package org.ptlab.tensor;

import java.util.Arrays;

/** Static helpers for shapes (plain {@code int[]}, row-major). */
public final class Shape {
  private Shape() {}

  public static int numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) throw new ShapeException("negative dimension in shape " + str(shape));
      n *= d;
    }
    if (n > Integer.MAX_VALUE) throw new ShapeException("shape " + str(shape) + " has more than 2^31 elements");
    return (int) n;
  }

  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }

  /** Normalizes a possibly negative axis; the op name goes into the error. */
  public static int axis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw new ShapeException(op + ": axis " + axis + " out of range for rank " + rank);
    return a;
  }

  /** Product of dims [from, to). */
  public static int prod(int[] shape, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) p *= shape[i];
    return p;
  }

  /**
   * Numpy broadcasting: shapes are aligned at their last axis; each pair of dims must be equal or one of them 1.
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeException(op + ": cannot broadcast shapes " + str(a) + " and " + str(b));
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Row-major strides of {@code shape} viewed inside {@code outShape} (0 where broadcast). */
  public static int[] broadcastStrides(int[] shape, int[] outShape) {
    int rank = outShape.length;
    int[] strides = new int[rank];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      int oi = i + rank - shape.length;
      strides[oi] = shape[i] == 1 ? 0 : s;
      s *= shape[i];
    }
    return strides;
  }
}
