package org.ptlab.theory.wang2023;

import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;

/**
 * Rescales a model's weights in place so that every residual branch has a chosen Lipschitz bound on its ball
 * (spec §7 C4: "scaled so that κ_att = 0.9 and κ_mlp = 0.5 per layer, with D_ℓ propagated by the recursion"); the
 * {@code invertibility} certificate then applies with κ = Π(1 − κ_att)(1 − κ_mlp). For E3 and the tests.
 *
 * <p>Layer by layer, with D_ℓ the radius of the already-scaled layers before it ({@link RadiusRecursion}):
 * every W_k^h is multiplied by one factor so that 4D_ℓ² max_h ‖A_h‖ = {@code scoreShare} (A is linear in W_k), then
 * W_o by one factor so that Σ_h ‖V_h‖(1 + 4D_ℓ²‖A_h‖) = κ_att (V is linear in W_o), then W2 so that
 * c_σ‖W2‖‖W1‖ = κ_mlp. Biases are left as they are. Weights of other dtypes are scaled in their own dtype.
 */
public final class ContractiveScaling {
  private ContractiveScaling() {}

  /**
   * Scales {@code model} (modified) for first-layer tokens of radius {@code inputRadius}: pass max(D, D0), the
   * radius {@link LipschitzInvertibilityCertificate} starts from when a prompt of radius D0 is prepended.
   *
   * @param kappaAtt target spec bound of each attention branch, > 0
   * @param kappaMlp target bound of each MLP branch, > 0
   * @param scoreShare target 4D_ℓ² max_h‖A_h‖, > 0 (how much of κ_att comes from the softmax's slope)
   */
  public static void scale(Transformer model, double inputRadius, double kappaAtt, double kappaMlp,
      double scoreShare) {
    if (!(kappaAtt > 0 && kappaMlp > 0 && scoreShare > 0 && inputRadius > 0)) {
      throw new IllegalArgumentException("contractive scaling: kappaAtt, kappaMlp, scoreShare and the radius must "
          + "be > 0");
    }
    double radius = inputRadius;
    for (int l = 0; l < model.config().layers(); l++) {
      String p = "encoder.layer." + l + ".";
      AttentionLipschitzBound.Layer att = AttentionLipschitzBound.of(BlockWeights.of(model, l), radius);
      double maxA = att.heads().stream().mapToDouble(AttentionLipschitzBound.Head::normA).max().orElse(0);
      multiply(model, p + "attention.self.key.weight", scoreShare / (4 * radius * radius * maxA));
      att = AttentionLipschitzBound.of(BlockWeights.of(model, l), radius);
      multiply(model, p + "attention.output.dense.weight", kappaAtt / att.spec());
      MlpLipschitzBound mlp = MlpLipschitzBound.of(BlockWeights.of(model, l));
      multiply(model, p + "output.dense.weight", kappaMlp / mlp.lipschitz());
      BlockWeights w = BlockWeights.of(model, l);
      radius = RadiusRecursion.next(radius, AttentionLipschitzBound.of(w, radius), MlpLipschitzBound.of(w));
    }
  }

  private static void multiply(Transformer model, String name, double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("contractive scaling: weight " + name + " cannot be scaled (factor "
          + factor + "; is it zero?)");
    }
    Tensor t = model.parameters().get(name);
    try (GradMode.Scope s = GradMode.noGrad()) {
      t.copyFrom(t.mul(factor));
    }
  }
}
