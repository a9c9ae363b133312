package org.ptlab.tensor.ops;

import java.util.Arrays;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.ElementwiseF32;
import org.ptlab.tensor.kernel.ElementwiseF64;
import org.ptlab.tensor.kernel.Parallel;

/**
 * Element-wise add, sub, mul, div with numpy broadcasting (shapes aligned at the last axis, a dim of 1 repeats),
 * and masked fill. Both inputs must have the same dtype. Backward reduces the output gradient back to each
 * input's shape by summing over the broadcast dims.
 */
public final class Binary {
  static final int ADD = ElementwiseF64.ADD;
  static final int SUB = ElementwiseF64.SUB;
  static final int MUL = ElementwiseF64.MUL;
  static final int DIV = ElementwiseF64.DIV;
  private static final String[] NAMES = {"add", "sub", "mul", "div"};
  /** Elements per pool task of a large element-wise op (as Unary's chunks). */
  private static final int CHUNK = 1 << 14;

  private Binary() {}

  public static Tensor add(Tensor a, Tensor b) {
    Tensor out = compute(ADD, a, b);
    return Tensor.record(out, "add", (g, grads) -> {
      if (grads.needs(0)) grads.add(0, sumTo(g, a.shape()));
      if (grads.needs(1)) grads.add(1, sumTo(g, b.shape())); // e.g. a frozen bias: no reduction
    }, a, b);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    Tensor out = compute(SUB, a, b);
    return Tensor.record(out, "sub", (g, grads) -> {
      if (grads.needs(0)) grads.add(0, sumTo(g, a.shape()));
      if (grads.needs(1)) grads.add(1, sumTo(g, b.shape()).neg());
    }, a, b);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    Tensor out = compute(MUL, a, b);
    return Tensor.record(out, "mul", (g, grads) -> {
      if (grads.needs(0)) grads.add(0, sumTo(compute(MUL, g, b), a.shape()));
      if (grads.needs(1)) grads.add(1, sumTo(compute(MUL, g, a), b.shape()));
    }, a, b);
  }

  public static Tensor div(Tensor a, Tensor b) {
    Tensor out = compute(DIV, a, b);
    return Tensor.record(out, "div", (g, grads) -> {
      if (grads.needs(0)) grads.add(0, sumTo(compute(DIV, g, b), a.shape()));
      // d(a/b)/db = -a/b² = -out/b
      if (grads.needs(1)) grads.add(1, sumTo(compute(DIV, compute(MUL, g, out), b), b.shape()).neg());
    }, a, b);
  }

  /** a + b with no graph (gradient accumulation). */
  public static Tensor addNoGrad(Tensor a, Tensor b) {
    return compute(ADD, a, b);
  }

  /** dst += src, same shape and dtype, in place. Modifies dst. */
  public static void addInPlace(Tensor dst, Tensor src) {
    checkSame("addInPlace", dst, src);
    if (!Arrays.equals(dst.shape(), src.shape())) {
      throw new ShapeException("addInPlace: shapes " + Shape.str(dst.shape()) + " and " + Shape.str(src.shape()));
    }
    int n = dst.numel();
    boolean f64 = dst.dtype() == DType.F64;
    int d0 = dst.offset();
    int s0 = src.offset();
    if (n <= CHUNK) run(ADD, f64, dst, d0, src, s0, dst, d0, n);
    else chunks(n, 1, (s, e) -> run(ADD, f64, dst, d0 + s, src, s0 + s, dst, d0 + s, e - s)); // as compute splits
    dst.markModified();
  }

  /**
   * t[.., j] += row[j] in place, for a fresh t [.., n] that nothing else references yet (an op's own output) and
   * row [n]; split over the pool as {@link #compute}. Modifies t.
   */
  static void addRowsInPlace(Tensor t, Tensor row) {
    int n = row.numel();
    boolean f64 = t.dtype() == DType.F64;
    chunks(t.numel(), n, (s, e) -> {
      for (int base = s; base < e; base += n) {
        run(ADD, f64, t, t.offset() + base, row, row.offset(), t, t.offset() + base, n);
      }
    });
    t.markModified();
  }

  /** out = mask ? value : x; mask broadcasts against x; the gradient is zero where masked. */
  public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
    int[] outShape = Shape.broadcast("maskedFill", x.shape(), mask.shape());
    if (!Arrays.equals(outShape, x.shape())) {
      throw new ShapeException("maskedFill: mask " + Shape.str(mask.shape()) + " does not broadcast to "
          + Shape.str(x.shape()));
    }
    int[] map = Broadcast.indexMap(mask.shape(), outShape);
    Tensor out = x.copy();
    for (int i = 0; i < map.length; i++) {
      if (mask.getFlat(map[i]) != 0) out.setFlat(i, value);
    }
    return Tensor.record(out, "maskedFill", (g, grads) -> {
      Tensor gx = g.copy();
      for (int i = 0; i < map.length; i++) {
        if (mask.getFlat(map[i]) != 0) gx.setFlat(i, 0);
      }
      grads.add(0, gx);
    }, x);
  }

  /** Sums {@code g} over the dims that were broadcast to reach its shape from {@code shape}. */
  public static Tensor sumTo(Tensor g, int[] shape) {
    if (Arrays.equals(g.shape(), shape)) return g;
    int n = Shape.numel(shape);
    int total = g.numel();
    int layout = Broadcast.layout(shape, n, g.shape(), total);
    if (layout == Broadcast.FULL) return g.reshape(shape);
    Tensor out = Tensor.zeros(g.dtype(), shape);
    if (layout == Broadcast.SUFFIX) {
      for (int base = 0; base < total; base += n) {
        if (g.dtype() == DType.F64) {
          loop64(ADD, out.f64(), 0, g.f64(), g.offset() + base, out.f64(), 0, n);
        } else {
          loop32(ADD, out.f32(), 0, g.f32(), g.offset() + base, out.f32(), 0, n);
        }
      }
      return out;
    }
    int[] map = Broadcast.indexMap(shape, g.shape());
    for (int i = 0; i < total; i++) out.setFlat(map[i], out.getFlat(map[i]) + g.getFlat(i));
    return out;
  }

  static void checkSame(String op, Tensor a, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw new ShapeException(op + ": dtypes differ: " + a.dtype() + Shape.str(a.shape()) + " and " + b.dtype()
          + Shape.str(b.shape()));
    }
  }

  /** Forward of a binary op with broadcasting, no graph. */
  static Tensor compute(int op, Tensor a, Tensor b) {
    boolean f64 = a.dtype() == DType.F64;
    if (a.dtype() == b.dtype() && Arrays.equals(a.shape(), b.shape())) { // the common case, without shape work
      Tensor out = Tensor.zeros(a.dtype(), a.shape());
      int n = out.numel();
      if (n <= CHUNK) run(op, f64, a, a.offset(), b, b.offset(), out, 0, n);
      else chunks(n, 1, (s, e) -> run(op, f64, a, a.offset() + s, b, b.offset() + s, out, s, e - s));
      return out;
    }
    String name = NAMES[op];
    checkSame(name, a, b);
    int[] outShape = Shape.broadcast(name, a.shape(), b.shape());
    Tensor out = Tensor.zeros(a.dtype(), outShape);
    int n = out.numel();
    int la = Broadcast.layout(a.shape(), a.numel(), outShape, n);
    int lb = Broadcast.layout(b.shape(), b.numel(), outShape, n);
    if (la == Broadcast.FULL && lb == Broadcast.FULL) {
      chunks(n, 1, (s, e) -> run(op, f64, a, a.offset() + s, b, b.offset() + s, out, s, e - s));
    } else if (la == Broadcast.FULL && lb == Broadcast.SUFFIX && b.numel() > 1) {
      int p = b.numel();
      chunks(n, p, (s, e) -> {
        for (int base = s; base < e; base += p) run(op, f64, a, a.offset() + base, b, b.offset(), out, base, p);
      });
    } else if (lb == Broadcast.FULL && la == Broadcast.SUFFIX && a.numel() > 1) {
      int p = a.numel();
      chunks(n, p, (s, e) -> {
        for (int base = s; base < e; base += p) run(op, f64, a, a.offset(), b, b.offset() + base, out, base, p);
      });
    } else {
      int[] ma = Broadcast.indexMap(a.shape(), outShape);
      int[] mb = Broadcast.indexMap(b.shape(), outShape);
      for (int i = 0; i < n; i++) out.setFlat(i, scalar(op, a.getFlat(ma[i]), b.getFlat(mb[i])));
    }
    return out;
  }

  private interface Range {
    void run(int start, int end);
  }

  /**
   * Runs body over [0, n) in fixed chunks of about CHUNK elements, each a multiple of {@code unit} (n is one too),
   * on the pool when there are several. Element-wise work: the result does not depend on the split.
   */
  private static void chunks(int n, int unit, Range body) {
    int chunk = Math.max(1, CHUNK / unit) * unit;
    int tasks = (n + chunk - 1) / chunk;
    if (tasks <= 1) {
      body.run(0, n);
      return;
    }
    Parallel.defaults().forEach(tasks, t -> body.run(t * chunk, Math.min(n, (t + 1) * chunk)));
  }

  private static void run(int op, boolean f64, Tensor a, int ao, Tensor b, int bo, Tensor o, int oo, int n) {
    if (f64) loop64(op, a.f64(), ao, b.f64(), bo, o.f64(), oo, n);
    else loop32(op, a.f32(), ao, b.f32(), bo, o.f32(), oo, n);
  }

  private static double scalar(int op, double x, double y) {
    switch (op) {
      case ADD: return x + y;
      case SUB: return x - y;
      case MUL: return x * y;
      default: return x / y;
    }
  }

  static void loop64(int op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
    ElementwiseF64.binary(op, a, ao, b, bo, o, oo, n);
  }

  static void loop32(int op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
    ElementwiseF32.binary(op, a, ao, b, bo, o, oo, n);
  }
}
