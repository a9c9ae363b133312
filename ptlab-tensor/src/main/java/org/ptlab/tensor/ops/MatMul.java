package org.ptlab.tensor.ops;

import java.util.Arrays;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Grads;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.MatMulKernelF32;
import org.ptlab.tensor.kernel.MatMulKernelF64;
import org.ptlab.tensor.kernel.Parallel;

/**
 * C = op(A)·op(B), batched. A is [.., M, K] ([.., K, M] with transA), B is [K, N] ([N, K] with transB) or has
 * the same leading batch dims as A; a rank-2 operand is shared across the batch. C is [.., M, N]. Transposes are
 * read in place by the kernel (no copies).
 *
 * <p>Backward: dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC; a shared operand's gradient sums over the batch.
 */
public final class MatMul {
  private MatMul() {}

  public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
    Tensor out = forward(a, b, transA, transB);
    return Tensor.record(out, "matmul", (g, grads) -> backward(g, grads, a, b, transA, transB), a, b);
  }

  /**
   * The fused linear layer x·Wᵀ + bias: x [.., in], W [out, in], bias [out] or null → [.., out]. The bias is added in
   * place into the product (one output tensor instead of two; the same bits as {@code x.matmul(W, false, true)
   * .add(bias)}). Backward: dx = g·W, dW = gᵀx (over all rows), dbias = Σ_rows g.
   */
  public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    if (bias != null) {
      Binary.checkSame("linear", x, bias);
      if (bias.rank() != 1 || bias.dim(0) != w.dim(0)) {
        throw new ShapeException("linear: bias " + Shape.str(bias.shape()) + " for weight " + Shape.str(w.shape()));
      }
    }
    Tensor out = forward(x, w, false, true, bias); // [.., out]
    Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
    return Tensor.record(out, "linear", (g, grads) -> {
      backward(g, grads, x, w, false, true);
      if (bias != null && grads.needs(2)) grads.add(2, Binary.sumTo(g, bias.shape()));
    }, inputs);
  }

  /** Gradients of op(a)·op(b) for inputs 0 (a) and 1 (b). */
  private static void backward(Tensor g, Grads grads, Tensor a, Tensor b, boolean transA, boolean transB) {
    if (grads.needs(0)) {
      Tensor da = transA ? forward(b, g, transB, true) : forward(g, b, false, !transB); // [.., K, M] or [.., M, K]
      grads.add(0, reduceBatch(da, a.shape()));
    }
    if (grads.needs(1)) {
      Tensor aa = a;
      Tensor gg = g;
      if (b.rank() == 2 && a.rank() > 2 && !transA) { // shared weight: one tall GEMM instead of a batch sum
        aa = a.reshape(-1, a.dim(-1));
        gg = g.reshape(-1, g.dim(-1));
      }
      Tensor db = transB ? forward(gg, aa, true, transA) : forward(aa, gg, !transA, false);
      grads.add(1, reduceBatch(db, b.shape()));
    }
  }

  /** The product with no graph. */
  public static Tensor forward(Tensor a, Tensor b, boolean transA, boolean transB) {
    return forward(a, b, transA, transB, null);
  }

  /** The product plus a bias [N] on every row (F32: added by the kernel as it completes C), with no graph. */
  private static Tensor forward(Tensor a, Tensor b, boolean transA, boolean transB, Tensor bias) {
    Binary.checkSame("matmul", a, b);
    if (a.rank() < 2 || b.rank() < 2) {
      throw new ShapeException("matmul: operands need rank >= 2, got " + Shape.str(a.shape()) + " and "
          + Shape.str(b.shape()));
    }
    int[] as = a.shape();
    int[] bs = b.shape();
    int ra = as.length;
    int rb = bs.length;
    int m = transA ? as[ra - 1] : as[ra - 2];
    int ka = transA ? as[ra - 2] : as[ra - 1];
    int kb = transB ? bs[rb - 1] : bs[rb - 2];
    int n = transB ? bs[rb - 2] : bs[rb - 1];
    if (ka != kb) {
      throw new ShapeException("matmul: inner dims differ: " + Shape.str(as) + (transA ? "ᵀ" : "") + " · "
          + Shape.str(bs) + (transB ? "ᵀ" : "") + " (" + ka + " vs " + kb + ")");
    }
    int[] batchA = Arrays.copyOf(as, ra - 2);
    int[] batchB = Arrays.copyOf(bs, rb - 2);
    int[] batch;
    if (rb == 2) batch = batchA;
    else if (ra == 2) batch = batchB;
    else if (Arrays.equals(batchA, batchB)) batch = batchA;
    else {
      throw new ShapeException("matmul: batch dims differ: " + Shape.str(as) + " and " + Shape.str(bs));
    }
    int nb = Shape.numel(batch);
    int[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = m;
    outShape[batch.length + 1] = n;
    Tensor c = Tensor.zeros(a.dtype(), outShape);
    int lda = as[ra - 1];
    int ldb = bs[rb - 1];
    int strideA = ra == 2 ? 0 : m * ka;
    int strideB = rb == 2 ? 0 : kb * n;
    int rows = m;
    if (rb == 2 && !transA && nb > 1) { // a shared B: one tall GEMM packs B once
      rows = m * nb;
      nb = 1;
    }
    Parallel par = Parallel.defaults();
    if (a.dtype() == DType.F64) {
      MatMulKernelF64.gemm(nb, transA, transB, rows, n, ka, a.f64(), a.offset(), lda, strideA, b.f64(), b.offset(),
          ldb, strideB, c.f64(), 0, n, m * n, false, par);
      if (bias != null) Binary.addRowsInPlace(c, bias);
    } else {
      MatMulKernelF32.PackedB packed = rb == 2 ? packedWeight(b, transB, rows, n, ka) : null;
      MatMulKernelF32.gemm(nb, transA, transB, rows, n, ka, a.f32(), a.offset(), lda, strideA, b.f32(), b.offset(),
          ldb, strideB, c.f32(), 0, n, m * n, false, par, packed, bias == null ? null : bias.f32(),
          bias == null ? 0 : bias.offset());
    }
    return c;
  }

  /** Key of a frozen weight's packed x·Wᵀ operand among its {@link Tensor#derived} values. */
  static final Object PACKED_TRANS_B = new Object();
  /** Key of its packed g·W operand (the input gradient of x·Wᵀ). */
  static final Object PACKED_B = new Object();
  /** Stored under that key at a weight's first use: packing pays from the second use on. */
  private static final Object SEEN_ONCE = new Object();

  /**
   * The kernel's packed form of op(B) when B is a frozen float32 leaf (a weight that does not train, e.g. any base
   * weight under prompt tuning or LoRA, or every weight at inference), else null: for x·Wᵀ (transB, the forward) and
   * for g·W (the input gradient that training through a frozen layer needs), each under its own key. Built at B's
   * second use in that orientation and kept until B is written in place ({@link Tensor#version}). Packing Wᵀ on
   * every call was ~13 % of MiniLM's forward; packing W for g·W on every call was 5 % of a MiniLM training step,
   * and caching it made the backward 8–13 % faster (2026-12-08). The price is a second packed copy of each frozen
   * weight, made only where a backward goes through it (inference never asks for g·W): +42 MB at MiniLM's size.
   */
  private static MatMulKernelF32.PackedB packedWeight(Tensor b, boolean transB, int m, int n, int k) {
    if (b.requiresGrad() || !b.isLeaf() || MatMulKernelF32.useSimple(m, n, k)) return null;
    Object key = transB ? PACKED_TRANS_B : PACKED_B;
    int version = b.version();
    Object d = b.derived(key);
    if (d instanceof MatMulKernelF32.PackedB) return (MatMulKernelF32.PackedB) d;
    if (d == null) {
      b.setDerived(key, SEEN_ONCE, version);
      return null;
    }
    MatMulKernelF32.PackedB packed = MatMulKernelF32.packB(transB, n, k, b.f32(), b.offset(), b.dim(-1));
    b.setDerived(key, packed, version);
    return packed;
  }

  /** Sums a batched gradient over the batch dims of a shared (rank-2) operand. */
  private static Tensor reduceBatch(Tensor d, int[] shape) {
    if (Arrays.equals(d.shape(), shape)) return d;
    Tensor out = d.reshape(-1, shape[0], shape[1]);
    return Reduce.sum(out, 0, false);
  }
}
