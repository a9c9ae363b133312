package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.ElementwiseF32;
import org.ptlab.tensor.kernel.ElementwiseF64;

/**
 * Reductions along one axis (sum, mean, max) or over all elements. A tensor of shape [.., n, ..] is viewed as
 * [outer, n, inner] around the reduced axis; {@code keepDim} keeps the axis with size 1. Sums accumulate in the
 * tensor's dtype, in index order, so results are reproducible.
 */
public final class Reduce {
  private Reduce() {}

  public static Tensor sumAll(Tensor x) {
    Tensor out = Tensor.zeros(x.dtype(), new int[0]);
    out.setFlat(0, total(x));
    return Tensor.record(out, "sum", (g, grads) -> grads.add(0, Tensor.full(x.dtype(), g.item(), x.shape())), x);
  }

  public static Tensor meanAll(Tensor x) {
    int n = x.numel();
    Tensor out = Tensor.zeros(x.dtype(), new int[0]);
    out.setFlat(0, total(x) / n);
    return Tensor.record(out, "mean",
        (g, grads) -> grads.add(0, Tensor.full(x.dtype(), g.item() / n, x.shape())), x);
  }

  public static Tensor sum(Tensor x, int axis, boolean keepDim) {
    int ax = Shape.axis("sum", axis, x.rank());
    Tensor out = sumAxis(x, ax, keepDim);
    return Tensor.record(out, "sum(axis)", (g, grads) -> grads.add(0, expand(g, x.shape(), ax, 1.0)), x);
  }

  public static Tensor mean(Tensor x, int axis, boolean keepDim) {
    int ax = Shape.axis("mean", axis, x.rank());
    int n = x.shape()[ax];
    Tensor out = Unary.affine(sumAxis(x, ax, keepDim), 1.0 / n, 0.0);
    return Tensor.record(out, "mean(axis)", (g, grads) -> grads.add(0, expand(g, x.shape(), ax, 1.0 / n)), x);
  }

  /** Maximum along an axis; the gradient flows to the first position of the maximum. */
  public static Tensor max(Tensor x, int axis, boolean keepDim) {
    int ax = Shape.axis("max", axis, x.rank());
    int[] s = x.shape();
    int outer = Shape.prod(s, 0, ax);
    int n = s[ax];
    int inner = Shape.prod(s, ax + 1, s.length);
    if (n == 0) throw new org.ptlab.tensor.ShapeException("max: empty axis " + axis + " in " + Shape.str(s));
    Tensor out = Tensor.zeros(x.dtype(), reducedShape(s, ax, keepDim));
    int[] arg = new int[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int best = 0;
        double bv = x.getFlat(o * n * inner + i);
        for (int j = 1; j < n; j++) {
          double v = x.getFlat((o * n + j) * inner + i);
          if (v > bv || Double.isNaN(v) && !Double.isNaN(bv)) {
            bv = v;
            best = j;
          }
        }
        arg[o * inner + i] = best;
        out.setFlat(o * inner + i, bv);
      }
    }
    return Tensor.record(out, "max(axis)", (g, grads) -> {
      Tensor d = Tensor.zeros(x.dtype(), s);
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) d.setFlat((o * n + arg[o * inner + i]) * inner + i, g.getFlat(o * inner + i));
      }
      grads.add(0, d);
    }, x);
  }

  static int[] reducedShape(int[] s, int ax, boolean keepDim) {
    int[] r = new int[keepDim ? s.length : s.length - 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i == ax) {
        if (keepDim) r[j++] = 1;
      } else {
        r[j++] = s[i];
      }
    }
    return r;
  }

  private static double total(Tensor x) {
    return x.dtype() == DType.F64 ? ElementwiseF64.sum(x.f64(), x.offset(), x.numel())
        : ElementwiseF32.sum(x.f32(), x.offset(), x.numel());
  }

  private static Tensor sumAxis(Tensor x, int ax, boolean keepDim) {
    int[] s = x.shape();
    int outer = Shape.prod(s, 0, ax);
    int n = s[ax];
    int inner = Shape.prod(s, ax + 1, s.length);
    Tensor out = Tensor.zeros(x.dtype(), reducedShape(s, ax, keepDim));
    int off = x.offset();
    if (x.dtype() == DType.F64) {
      double[] a = x.f64();
      double[] o = out.f64();
      for (int p = 0; p < outer; p++) {
        for (int j = 0; j < n; j++) {
          int src = off + (p * n + j) * inner;
          int dst = p * inner;
          for (int i = 0; i < inner; i++) o[dst + i] += a[src + i];
        }
      }
    } else {
      float[] a = x.f32();
      float[] o = out.f32();
      for (int p = 0; p < outer; p++) {
        for (int j = 0; j < n; j++) {
          int src = off + (p * n + j) * inner;
          int dst = p * inner;
          for (int i = 0; i < inner; i++) o[dst + i] += a[src + i];
        }
      }
    }
    return out;
  }

  /** Repeats g (the reduced shape) along axis {@code ax} to {@code shape}, times {@code scale}. */
  private static Tensor expand(Tensor g, int[] shape, int ax, double scale) {
    int outer = Shape.prod(shape, 0, ax);
    int n = shape[ax];
    int inner = Shape.prod(shape, ax + 1, shape.length);
    Tensor d = Tensor.zeros(g.dtype(), shape);
    for (int p = 0; p < outer; p++) {
      for (int j = 0; j < n; j++) {
        int src = g.offset() + p * inner;
        int dst = (p * n + j) * inner;
        if (g.dtype() == DType.F64) ElementwiseF64.affine(scale, 0, g.f64(), src, d.f64(), dst, inner);
        else ElementwiseF32.affine((float) scale, 0f, g.f32(), src, d.f32(), dst, inner);
      }
    }
    return d;
  }
}
