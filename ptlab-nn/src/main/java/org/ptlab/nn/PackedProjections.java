package org.ptlab.nn;

import java.util.Arrays;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.MatMulKernelF32;
import org.ptlab.tensor.kernel.MatMulKernelF64;

/**
 * One attention layer's query, key and value projections as one product: the weights [w, d] concatenated to
 * [3·w, d] and the biases to [3·w], so x·Wᵀ + b gives [.., 3·w] with Q, K, V as column blocks.
 *
 * <p>Staleness: the concatenation is a copy, so it is rebuilt whenever any of the six source tensors was written
 * since it was made ({@link Tensor#version}: optimizer steps, copyFrom, setFlat, fill, markModified all bump it). A
 * copy made before a write is never used after it.
 *
 * <p>Bits: the fused product gives each element the same dot product as the separate ones only if the kernel takes
 * the same path (unpacked or packed) for both widths; {@link #applies} checks that, so switching never changes a
 * result.
 */
final class PackedProjections {
  private final Linear[] parts;
  private volatile Packed current;

  private record Packed(Tensor weight, Tensor bias, int[] versions) {}

  PackedProjections(Linear query, Linear key, Linear value) {
    this.parts = new Linear[] {query, key, value};
  }

  /** True if x [B, T, d] may take the fused product: no backward will run and the kernel path matches. */
  boolean applies(Tensor x) {
    Tensor w = parts[0].weight();
    if (x.rank() != 3 || x.dtype() != w.dtype()) return false;
    for (Linear p : parts) {
      if (Tensor.willRecord(x, p.weight(), p.bias())) return false;
    }
    int rows = x.dim(0) * x.dim(1);
    int out = w.dim(0);
    int in = w.dim(1);
    return x.dtype() == DType.F32
        ? MatMulKernelF32.useSimple(rows, out, in) == MatMulKernelF32.useSimple(rows, 3 * out, in)
        : MatMulKernelF64.useSimple(rows, out, in) == MatMulKernelF64.useSimple(rows, 3 * out, in);
  }

  /** x [B, T, d] → [B, T, 3·w]: Q, K, V side by side, no graph. Call only when {@link #applies}. */
  Tensor forward(Tensor x) {
    Packed p = current();
    return x.linear(p.weight, p.bias);
  }

  /** The concatenation for the sources' present contents, built anew if any source changed since the last one. */
  Tensor[] weightAndBias() {
    Packed p = current();
    return new Tensor[] {p.weight, p.bias};
  }

  private Packed current() {
    int[] versions = versions(); // read before copying: a write during the copy leaves the copy stale, seen next call
    Packed p = current;
    if (p != null && Arrays.equals(p.versions, versions)) return p;
    try (GradMode.Scope ng = GradMode.noGrad()) {
      Tensor weight = Tensor.concat(0, parts[0].weight(), parts[1].weight(), parts[2].weight());
      Tensor bias = parts[0].bias() == null ? null
          : Tensor.concat(0, parts[0].bias(), parts[1].bias(), parts[2].bias());
      p = new Packed(weight, bias, versions);
    }
    current = p;
    return p;
  }

  private int[] versions() {
    int[] v = new int[6];
    for (int i = 0; i < 3; i++) {
      v[2 * i] = parts[i].weight().version();
      v[2 * i + 1] = parts[i].bias() == null ? 0 : parts[i].bias().version();
    }
    return v;
  }
}
