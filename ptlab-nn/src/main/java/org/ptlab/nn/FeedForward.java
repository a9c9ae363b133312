package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/** The token-wise MLP branch g(z) = W2·act(W1·z + b1) + b2 (the residual is added by the block). */
final class FeedForward {
  private final Linear intermediate;
  private final Linear output;
  private final TransformerConfig.Activation activation;

  FeedForward(ParameterSet params, String prefix, int layer, TransformerConfig c) {
    int r = c.mlpHidden(layer);
    this.intermediate = new Linear(params, prefix + "intermediate.dense", c.dModel(), r, true);
    this.output = new Linear(params, prefix + "output.dense", r, c.dModel(), true);
    this.activation = c.activation();
  }

  /** z [.., d] → [.., d]. */
  Tensor forward(Tensor z, ForwardHooks hooks, ForwardMode pass) {
    Tensor h = intermediate.forward(z, hooks, pass); // [.., r]
    if (activation == TransformerConfig.Activation.RELU) {
      h = h.relu();
    } else if (activation == TransformerConfig.Activation.GELU_TANH) {
      h = Tensor.willRecord(h) ? h.geluTanh() : h.geluTanhInPlace(); // in place for the reason below
    } else {
      // Without a graph, h is this method's own intermediate (a linear output; hooks return y or a new sum), so GELU
      // may overwrite it: one [.., r] tensor less to allocate and zero.
      h = Tensor.willRecord(h) ? h.gelu() : h.geluInPlace();
    }
    return output.forward(h, hooks, pass); // [.., d]
  }
}
