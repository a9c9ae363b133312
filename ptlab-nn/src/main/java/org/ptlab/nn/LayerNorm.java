package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/** Layer norm over the last axis with gain γ (init 1) and shift β (init 0); Hugging Face names weight/bias. */
final class LayerNorm {
  private final Tensor gamma;
  private final Tensor beta;
  private final double eps;

  LayerNorm(ParameterSet params, String name, int d, double eps) {
    this.gamma = params.constant(name + ".weight", 1.0, d);
    this.beta = params.constant(name + ".bias", 0.0, d);
    this.eps = eps;
  }

  /** x [.., d] → [.., d]. */
  Tensor forward(Tensor x) {
    return x.layerNorm(gamma, beta, eps);
  }

  /** LN(x + r), a residual and its norm in one op (no x + r tensor): x, r [.., d] → [.., d]. */
  Tensor forward(Tensor x, Tensor r) {
    return x.addLayerNorm(r, gamma, beta, eps);
  }
}
