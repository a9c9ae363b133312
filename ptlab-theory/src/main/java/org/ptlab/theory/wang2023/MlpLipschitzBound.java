package org.ptlab.theory.wang2023;

import org.ptlab.theory.SpectralNorms;

/**
 * Lipschitz bound of the residual MLP's branch g(z) = W2 σ(W1 z + b1) + b2 (spec §4; Behrmann et al. 2019):
 * Lip(g) ≤ c_σ ‖W2‖₂ ‖W1‖₂ with c_σ = sup|σ'| ({@link ActivationLipschitz}: 1 for ReLU, ≈ 1.1289 for GELU).
 * The branch acts token by token, so the same constant holds in ‖·‖_{∞,2}. When it is < 1 the block
 * z ↦ z + g(z) is a bijection of R^d with ‖MLP(z) − MLP(z′)‖ ≥ (1 − Lip(g))‖z − z′‖, and its inverse is the
 * fixed point of z ← y − g(z) ({@link ResidualFixedPointInverse}).
 *
 * <p>Assumptions: none beyond the activation's slope bound; biases do not enter the constant.
 *
 * @param normW1 ‖W1‖₂
 * @param normW2 ‖W2‖₂
 * @param activationConstant c_σ
 * @param lipschitz c_σ ‖W2‖ ‖W1‖
 * @param normB1 ‖b1‖₂ (enters the radius recursion only)
 * @param normB2 ‖b2‖₂
 */
public record MlpLipschitzBound(double normW1, double normW2, double activationConstant, double lipschitz,
    double normB1, double normB2) {

  /** The bound of layer {@code w}'s MLP branch. */
  public static MlpLipschitzBound of(BlockWeights w) {
    double n1 = SpectralNorms.of(w.w1());
    double n2 = SpectralNorms.of(w.w2());
    double c = ActivationLipschitz.of(w.activation());
    return new MlpLipschitzBound(n1, n2, c, c * n2 * n1, w.normB1(), w.normB2());
  }

  /**
   * A bound on ‖z + g(z)‖ for ‖z‖ ≤ r: r(1 + ‖W2‖‖W1‖) + ‖W2‖‖b1‖ + ‖b2‖. It uses |σ(y)| ≤ |y| (true for ReLU
   * and GELU alike), not c_σ: GELU's slope exceeds 1 but its values never exceed |y| in size.
   */
  public double radiusAfter(double r) {
    return r * (1 + normW2 * normW1) + normW2 * normB1 + normB2;
  }
}
