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

  /**
   * LN(x + r), a residual and its norm in one op (no x + r tensor): x, r [.., d] → [.., d]. r must be the caller's
   * own branch output (a fresh tensor nothing else reads): without a graph the result is written over it.
   */
  Tensor forward(Tensor x, Tensor r) {
    if (Tensor.willRecord(x, r, gamma, beta)) return x.addLayerNorm(r, gamma, beta, eps);
    return r.addLayerNormInPlace(x, gamma, beta, eps);
  }
}
