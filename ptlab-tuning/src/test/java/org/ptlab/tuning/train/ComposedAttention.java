package org.ptlab.tuning.train;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;

/**
 * Attention composed from primitive ops (matmul, masked fill, softmax), whose exponentials are scalar
 * {@code Math.exp}. The bit-identity tests of the trainer run on it because the engine's fused kernel is not
 * deterministic across JIT states: its softmax rows use the Vector API's {@code lanewise(EXP)}, which C2 compiles to
 * a vector math routine that differs from {@code Math.exp} in the last bit for some inputs, so the same run gives
 * other bits before and after warm-up (see {@code KillResumeTest#engineKernelIsTheSameColdAndWarm}).
 */
public final class ComposedAttention implements AttentionKernel {
  public static final ComposedAttention INSTANCE = new ComposedAttention();

  @Override
  public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
    if (causal) throw new UnsupportedOperationException("ComposedAttention: bidirectional models only");
    int b = q.dim(0);
    int tk = k.dim(1);
    int s = q.dim(2) / heads;
    int sv = v.dim(2) / heads;
    Tensor padding = null; // [B, 1, Tk], 1 where a key is padding
    if (attendMask != null) padding = attendMask.mul(-1.0).add(1.0).reshape(b, 1, tk);
    Tensor[] out = new Tensor[heads];
    for (int h = 0; h < heads; h++) {
      Tensor qh = q.slice(2, h * s, (h + 1) * s); // [B, Tq, s]
      Tensor kh = k.slice(2, h * s, (h + 1) * s); // [B, Tk, s]
      Tensor scores = qh.matmul(kh, false, true).mul(scale); // [B, Tq, Tk]
      if (padding != null) scores = scores.maskedFill(padding, Double.NEGATIVE_INFINITY);
      out[h] = scores.softmax(2).matmul(v.slice(2, h * sv, (h + 1) * sv)); // [B, Tq, sv]
    }
    return heads == 1 ? out[0] : Tensor.concat(2, out);
  }

  @Override
  public String name() {
    return "composed";
  }
}
