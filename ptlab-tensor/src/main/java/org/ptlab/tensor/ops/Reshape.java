package org.ptlab.tensor.ops;

import java.util.Arrays;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;

/**
 * Ops that move elements without arithmetic: reshape (a free view), transpose of two axes, slice along an axis
 * (a free view when it is contiguous), concat, and the embedding gather.
 */
public final class Reshape {
  private Reshape() {}

  /** Same elements, new shape; one dim may be -1 (inferred). Always a view. */
  public static Tensor reshape(Tensor x, int... newShape) {
    int[] shape = newShape.clone();
    int infer = -1;
    int known = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        if (infer >= 0) throw new ShapeException("reshape: more than one -1 in " + Shape.str(newShape));
        infer = i;
      } else {
        known *= shape[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || x.numel() % known != 0) {
        throw new ShapeException("reshape: cannot view " + Shape.str(x.shape()) + " as " + Shape.str(newShape));
      }
      shape[infer] = x.numel() / known;
    }
    if (Shape.numel(shape) != x.numel()) {
      throw new ShapeException("reshape: cannot view " + Shape.str(x.shape()) + " as " + Shape.str(newShape));
    }
    Tensor out = Tensor.view(x, x.offset(), shape);
    int[] orig = x.shape();
    return Tensor.record(out, "reshape", (g, grads) -> grads.add(0, reshape(g, orig)), x);
  }

  /** Swaps two axes (a copy). */
  public static Tensor transpose(Tensor x, int axis1, int axis2) {
    int a1 = Shape.axis("transpose", axis1, x.rank());
    int a2 = Shape.axis("transpose", axis2, x.rank());
    if (a1 == a2) return x;
    int[] s = x.shape();
    int[] perm = new int[s.length];
    for (int i = 0; i < perm.length; i++) perm[i] = i;
    perm[a1] = a2;
    perm[a2] = a1;
    int[] outShape = new int[s.length];
    for (int i = 0; i < s.length; i++) outShape[i] = s[perm[i]];
    int[] inStrides = new int[s.length];
    for (int i = s.length - 1, st = 1; i >= 0; i--) {
      inStrides[i] = st;
      st *= s[i];
    }
    Tensor out = Tensor.zeros(x.dtype(), outShape);
    int rank = s.length;
    int[] idx = new int[rank];
    int src = 0;
    for (int i = 0; i < out.numel(); i++) {
      out.setFlat(i, x.getFlat(src));
      for (int ax = rank - 1; ax >= 0; ax--) {
        idx[ax]++;
        src += inStrides[perm[ax]];
        if (idx[ax] < outShape[ax]) break;
        src -= inStrides[perm[ax]] * outShape[ax];
        idx[ax] = 0;
      }
    }
    return Tensor.record(out, "transpose", (g, grads) -> grads.add(0, transpose(g, a1, a2)), x);
  }

  /** Elements [start, end) along {@code axis}. A view when every axis before {@code axis} has size 1. */
  public static Tensor slice(Tensor x, int axis, int start, int end) {
    int ax = Shape.axis("slice", axis, x.rank());
    int[] s = x.shape();
    if (start < 0 || end > s[ax] || start > end) {
      throw new ShapeException("slice: [" + start + ", " + end + ") out of range for axis " + axis + " of "
          + Shape.str(s));
    }
    int outer = Shape.prod(s, 0, ax);
    int inner = Shape.prod(s, ax + 1, s.length);
    int[] outShape = s.clone();
    outShape[ax] = end - start;
    Tensor out;
    if (outer == 1) {
      out = Tensor.view(x, x.offset() + start * inner, outShape);
    } else {
      out = Tensor.zeros(x.dtype(), outShape);
      int len = (end - start) * inner;
      for (int o = 0; o < outer; o++) copy(x, x.offset() + (o * s[ax] + start) * inner, out, o * len, len);
    }
    return Tensor.record(out, "slice", (g, grads) -> {
      Tensor d = Tensor.zeros(x.dtype(), s);
      int len = (end - start) * inner;
      for (int o = 0; o < outer; o++) copy(g, g.offset() + o * len, d, (o * s[ax] + start) * inner, len);
      grads.add(0, d);
    }, x);
  }

  /** Joins tensors along {@code axis}; all other dims must agree. */
  public static Tensor concat(int axis, Tensor... parts) {
    if (parts.length == 0) throw new ShapeException("concat: no tensors");
    Tensor first = parts[0];
    int ax = Shape.axis("concat", axis, first.rank());
    int[] outShape = first.shape().clone();
    outShape[ax] = 0;
    for (Tensor p : parts) {
      Binary.checkSame("concat", first, p);
      boolean ok = p.rank() == first.rank();
      for (int i = 0; ok && i < p.rank(); i++) ok = i == ax || p.shape()[i] == first.shape()[i];
      if (!ok) {
        throw new ShapeException("concat: shapes " + Shape.str(first.shape()) + " and " + Shape.str(p.shape())
            + " differ outside axis " + axis);
      }
      outShape[ax] += p.shape()[ax];
    }
    int outer = Shape.prod(outShape, 0, ax);
    int inner = Shape.prod(outShape, ax + 1, outShape.length);
    int rowLen = outShape[ax] * inner;
    Tensor out = Tensor.zeros(first.dtype(), outShape);
    int at = 0;
    int[] starts = new int[parts.length];
    for (int k = 0; k < parts.length; k++) {
      starts[k] = at;
      int len = parts[k].shape()[ax] * inner;
      for (int o = 0; o < outer; o++) copy(parts[k], parts[k].offset() + o * len, out, o * rowLen + at * inner, len);
      at += parts[k].shape()[ax];
    }
    Tensor[] inputs = parts.clone();
    return Tensor.record(out, "concat", (g, grads) -> {
      for (int k = 0; k < inputs.length; k++) {
        if (!grads.needs(k)) continue;
        Tensor part = slice(g, ax, starts[k], starts[k] + inputs[k].shape()[ax]);
        grads.add(k, part.f64() == g.f64() && part.f32() == g.f32() ? part.copy() : part); // a view of g is copied
      }
    }, inputs);
  }

  /**
   * x repeated to {@code shape} by numpy broadcasting (a soft prompt [m, d] → [B, m, d]); the copy is materialised.
   * Backward sums the gradient over the repeated dims.
   */
  public static Tensor expand(Tensor x, int... shape) {
    int[] out = Shape.broadcast("expand", x.shape(), shape);
    if (!Arrays.equals(out, shape)) {
      throw new ShapeException("expand: " + Shape.str(x.shape()) + " does not broadcast to " + Shape.str(shape));
    }
    Tensor result = Binary.addNoGrad(Tensor.zeros(x.dtype(), shape), x);
    int[] inShape = x.shape();
    return Tensor.record(result, "expand", (g, grads) -> {
      Tensor d = Binary.sumTo(g, inShape);
      grads.add(0, d == g || d.f64() == g.f64() && d.f32() == g.f32() ? d.copy() : d); // g itself or a view: copied
    }, x);
  }

  /**
   * Rows of {@code table} [V, D] at {@code ids}: [ids.length, D]. Backward scatters-adds into the table's
   * gradient (a repeated id sums).
   */
  public static Tensor embedding(Tensor table, int[] ids) {
    if (table.rank() != 2) throw new ShapeException("embedding: table must be [V, D], got " + Shape.str(table.shape()));
    int v = table.dim(0);
    int d = table.dim(1);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= v) {
        throw new ShapeException("embedding: id " + ids[i] + " at position " + i + " out of range [0, " + v + ")");
      }
    }
    int[] idsCopy = Arrays.copyOf(ids, ids.length);
    Tensor out = Tensor.zeros(table.dtype(), ids.length, d);
    for (int i = 0; i < ids.length; i++) copy(table, table.offset() + idsCopy[i] * d, out, i * d, d);
    return Tensor.record(out, "embedding", (g, grads) -> {
      Tensor dt = Tensor.zeros(table.dtype(), v, d);
      for (int i = 0; i < idsCopy.length; i++) {
        int row = idsCopy[i] * d;
        for (int j = 0; j < d; j++) dt.setFlat(row + j, dt.getFlat(row + j) + g.getFlat(i * d + j));
      }
      grads.add(0, dt);
    }, table);
  }

  /** Copies len elements from src's storage at srcPos to dst's storage at dst.offset()+dstPos. */
  private static void copy(Tensor src, int srcPos, Tensor dst, int dstPos, int len) {
    if (src.dtype() == DType.F64) System.arraycopy(src.f64(), srcPos, dst.f64(), dst.offset() + dstPos, len);
    else System.arraycopy(src.f32(), srcPos, dst.f32(), dst.offset() + dstPos, len);
  }
}
