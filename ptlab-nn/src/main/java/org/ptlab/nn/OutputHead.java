package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/**
 * What the model returns from its final hidden states H [B, m, d] (input positions only):
 * NONE → H; CLASSIFY → logits [B, C] from the mean over real tokens or the first token; REGRESS → [B, m, out]
 * per position; LM → next-token logits [B, m, V].
 */
final class OutputHead {
  private final TransformerConfig config;
  private final Linear linear; // null for NONE

  OutputHead(ParameterSet params, TransformerConfig c) {
    this.config = c;
    this.linear = switch (c.head()) {
      case NONE -> null;
      case CLASSIFY -> new Linear(params, "classifier", c.dModel(), c.outputs(), true);
      case REGRESS -> new Linear(params, "regressor", c.dModel(), c.outputs(), true);
      case LM -> new Linear(params, "lm_head", c.dModel(), c.vocabSize(), true);
    };
  }

  /** h [B, m, d], attendMask [B, m] or null → the head's output. */
  Tensor forward(Tensor h, Tensor attendMask, ForwardHooks hooks, ForwardMode pass) {
    if (linear == null) return h;
    if (config.head() != TransformerConfig.Head.CLASSIFY) return linear.forward(h, hooks, pass);
    return linear.forward(pool(h, attendMask), hooks, pass); // [B, C]
  }

  /** h [B, m, d] → [B, d]: mean over real positions, or position 0. */
  static Tensor pool(Tensor h, Tensor attendMask, TransformerConfig.Pooling pooling) {
    int b = h.dim(0);
    int d = h.dim(2);
    if (pooling == TransformerConfig.Pooling.FIRST) return h.slice(1, 0, 1).reshape(b, d);
    if (attendMask == null) return h.mean(1, false);
    Tensor m = attendMask.reshape(b, h.dim(1), 1); // [B, m, 1]
    return h.mul(m).sum(1, false).div(attendMask.sum(1, true)); // [B, d] / [B, 1]
  }

  private Tensor pool(Tensor h, Tensor attendMask) {
    return pool(h, attendMask, config.pooling());
  }
}
