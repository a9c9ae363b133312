package org.ptlab.nn.attention;

import org.ptlab.tensor.Tensor;

/**
 * How a transformer layer turns queries, keys and values into attention outputs. The model owns this interface;
 * faster kernels (the polynomial-method attention of {@code org.ptlab.theory.hu2025}) plug in from above.
 *
 * <p>Shapes: q [B, Tq, H·s], k [B, Tk, H·s], v [B, Tk, H·sv] → [B, Tq, H·sv]. {@code attendMask} [B, Tk] holds 1
 * where a key may be attended and 0 for padding, or is null. {@code causal}: query i sees key j iff
 * j ≤ i + (Tk − Tq), so a prefix of Tk − Tq keys (prefix tuning's keys) is visible to every query. {@code scale}
 * multiplies q·k before the softmax (1 for the paper preset, 1/√s for BERT and GPT). The result takes part in
 * autograd like any other op.
 */
public interface AttentionKernel {
  /** The engine's fused exact attention. */
  AttentionKernel EXACT = new AttentionKernel() {
    @Override
    public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
      return Tensor.attention(q, k, v, heads, scale, attendMask, causal);
    }

    @Override
    public String name() {
      return "exact";
    }
  };

  /** softmax(scale·Q_h K_hᵀ + mask) V_h for every head h, concatenated → [B, Tq, H·sv]. */
  Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal);

  /** A short name for logs and results ("exact", "polynomial", "auto", …). */
  String name();
}
