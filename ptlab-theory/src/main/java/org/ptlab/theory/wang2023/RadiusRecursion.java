package org.ptlab.theory.wang2023;

import java.util.List;

/**
 * How the token-norm ball grows through the layers (spec §4 [D]), so the attention bound of layer ℓ is taken on
 * the right radius D_ℓ. Tokens are rows; every token of the sequence, prompt rows included, is covered.
 *
 * <p>If every token entering block ℓ has ‖x_j‖ ≤ D_ℓ then after the attention residual
 * ‖x_i + Σ_h V_h Σ_j a^h_ij x_j‖ ≤ D_ℓ(1 + Σ_h ‖V_h‖) (each head averages vectors of norm ≤ D_ℓ), and after the MLP
 * residual (see {@link MlpLipschitzBound#radiusAfter})
 * <pre>
 *   D_{ℓ+1} = D_ℓ (1 + Σ_h ‖V_h‖)(1 + ‖W2‖‖W1‖) + ‖W2‖‖b1‖ + ‖b2‖.
 * </pre>
 * The input radius is D_0 = max(D, D0) with D the input tokens' radius and D0 the prompt's (prompt rows enter
 * layer 1 as tokens). Assumes no attention biases and no layer norm.
 */
public final class RadiusRecursion {
  private RadiusRecursion() {}

  /** D_0 … D_L for blocks {@code blocks} and input radius {@code inputRadius} (D_0). */
  public static double[] radii(List<BlockWeights> blocks, double inputRadius) {
    double[] r = new double[blocks.size() + 1];
    r[0] = inputRadius;
    for (int l = 0; l < blocks.size(); l++) {
      AttentionLipschitzBound.Layer att = AttentionLipschitzBound.of(blocks.get(l), r[l]);
      r[l + 1] = next(r[l], att, MlpLipschitzBound.of(blocks.get(l)));
    }
    return r;
  }

  /** D_{ℓ+1} from D_ℓ and layer ℓ's terms. */
  public static double next(double radius, AttentionLipschitzBound.Layer att, MlpLipschitzBound mlp) {
    return mlp.radiusAfter(afterAttention(radius, att));
  }

  /** The radius after the attention residual, D_ℓ(1 + Σ_h‖V_h‖): the MLP's input ball. */
  public static double afterAttention(double radius, AttentionLipschitzBound.Layer att) {
    return radius * (1 + att.sumNormV());
  }
}
