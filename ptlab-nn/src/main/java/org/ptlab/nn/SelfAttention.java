package org.ptlab.nn;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.ops.Attention;

/**
 * Multi-head self-attention: Att(X) = Σ_i W_o^i W_v^i X softmax(scale·(W_k^i X)ᵀ W_q^i X), row-major. A prefix
 * (per-layer keys and values from {@link ForwardHooks#prefix}) is prepended to the keys and values only, so the
 * output keeps the input's length.
 *
 * <p>Inference without hooks (no backward, {@link ForwardHooks#NONE}, the exact kernel) computes Q, K and V as one
 * product with the concatenated weight [3·w, d] ({@link PackedProjections}), and attention reads them in place: one
 * GEMM instead of three (MiniLM's forward: 256 × 384 × 384 each). Every element is the same single dot product and
 * bias as in the separate products, so the results are bit-identical (tested in {@code PackedQkvTest}). Anything
 * that may observe or change a projection (LoRA's hooks, a prefix, another kernel, a backward) takes the three
 * separate products.
 */
final class SelfAttention {
  private final TransformerConfig config;
  private final int layer;
  private final int heads;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final PackedProjections packed;

  SelfAttention(ParameterSet params, String prefix, int layer, TransformerConfig c) {
    this.config = c;
    this.layer = layer;
    this.heads = c.heads(layer);
    int w = heads * c.headSize();
    this.query = new Linear(params, prefix + "attention.self.query", c.dModel(), w, c.attentionBias());
    this.key = new Linear(params, prefix + "attention.self.key", c.dModel(), w, c.attentionBias());
    this.value = new Linear(params, prefix + "attention.self.value", c.dModel(), w, c.attentionBias());
    this.output = new Linear(params, prefix + "attention.output.dense", w, c.dModel(), c.attentionBias());
    this.packed = new PackedProjections(query, key, value);
  }

  /** x [B, T, d], attendMask [B, T] or null → [B, T, d]. */
  Tensor forward(Tensor x, Tensor attendMask, ForwardHooks hooks, ForwardMode pass, AttentionKernel kernel) {
    if (hooks == ForwardHooks.NONE && kernel == AttentionKernel.EXACT && packed.applies(x)) {
      Tensor qkv = packed.forward(x); // [B, T, 3·h·s]
      Tensor heads = Attention.sdpaPacked(qkv, this.heads, config.scoreScale(), attendMask, config.causal());
      return output.forward(heads, hooks, pass); // [B, T, d]
    }
    int b = x.dim(0);
    int t = x.dim(1);
    Tensor q = query.forward(x, hooks, pass); // [B, T, h·s]
    Tensor k = key.forward(x, hooks, pass); // [B, T, h·s]
    Tensor v = value.forward(x, hooks, pass); // [B, T, h·s]
    Tensor[] prefix = hooks.prefix(layer);
    if (prefix != null) {
      int mp = prefix[0].dim(0);
      k = Tensor.concat(1, prefix[0].expand(b, mp, k.dim(2)), k); // [B, m_p + T, h·s]
      v = Tensor.concat(1, prefix[1].expand(b, mp, v.dim(2)), v);
      Tensor mask = attendMask != null ? attendMask : Tensor.ones(x.dtype(), b, t);
      attendMask = Tensor.concat(1, Tensor.ones(x.dtype(), b, mp), mask); // [B, m_p + T]
    }
    Tensor heads = kernel.attend(q, k, v, this.heads, config.scoreScale(), attendMask, config.causal());
    return output.forward(heads, hooks, pass); // [B, T, d]
  }

  /**
   * One decoding step of a causal model: the new positions' queries attend to the cached keys and values (prefix
   * first) and to their own, which are appended to {@code cache}. x [B, t, d] → [B, t, d].
   */
  Tensor decode(Tensor x, DecodeCache cache, ForwardHooks hooks, AttentionKernel kernel) {
    Tensor q = query.forward(x, hooks, ForwardMode.EVAL); // [B, t, h·s]
    Tensor k = key.forward(x, hooks, ForwardMode.EVAL); // [B, t, h·s]
    Tensor v = value.forward(x, hooks, ForwardMode.EVAL);
    Tensor[] kv = cache.append(layer, k, v); // [B, T_c + t, h·s]: prefix, earlier positions, these
    // causal: new query i sees keys j ≤ i + T_c (every cached key, and its own and earlier new ones)
    Tensor heads = kernel.attend(q, kv[0], kv[1], this.heads, config.scoreScale(), null, true);
    return output.forward(heads, hooks, ForwardMode.EVAL);
  }

  /** The packed projections (for tests). */
  PackedProjections packed() {
    return packed;
  }
}
