package org.ptlab.theory.wang2023;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.theory.Certificate;

/**
 * An Eckart–Young lower bound on the loss of every prompt of a given length m_p (turns the necessary condition of
 * {@link PromptLengthNecessaryCondition} into a certificate on the loss) [D: derived here, not the paper's].
 *
 * <p><b>Claim.</b> Single layer, one head, ℓ < 1; c_k, b_k as in {@link PromptRequirements} over all K input
 * positions; C = [c_1 … c_K], Π the orthogonal projector onto span{b_1 … b_K}^⊥, σ_1 ≥ σ_2 ≥ … the singular values
 * of ΠC, and q = min(m_p, rank W_o W_v). Every prompt of length m_p has
 * <pre>
 *   Σ_k ‖τ([P, X])_k − y_k‖² ≥ (1 − ℓ)² · Σ_{i > q} σ_i².
 * </pre>
 * <b>Proof.</b> By {@link MlpInjectivity} each term is ≥ (1 − ℓ)²‖z_k − z_k*‖² with z_k* = x_k + c_k and
 * z_k = x_k + λ_k a_k + (1 − λ_k) b_k, a_k ∈ S = span{W p_j}, dim S ≤ q. Let T = S + span{b}. Then z_k − x_k ∈ T, so
 * ‖z_k − z_k*‖ ≥ dist(c_k, T). Write T = span{b} ⊕ T′ with T′ = T ∩ span{b}^⊥, dim T′ ≤ q. Then
 * dist(c_k, T) = ‖Πc_k − proj_{T′}Πc_k‖, and Σ_k of its square is ‖ΠC − proj_{T′}ΠC‖_F² ≥ Σ_{i>q} σ_i² because
 * proj_{T′}ΠC has rank ≤ q (Eckart–Young). ∎ The bound is positive exactly when m_p is below the necessary length
 * rank(ΠC) = rank[C, B] − rank B, so both classes tell one story; it is 0 (vacuous) when the b_k span R^d.
 *
 * <p><b>Numerics.</b> The square root of the bound, √Σ_{i>q}σ_i², is the distance of ΠC to rank-q matrices, which is
 * 1-Lipschitz in C for ‖·‖_F, so the inversion error enters as (1 − ℓ)²·max(0, √Σσ_i² − √Σε_k²)². Π uses every
 * direction of span{b} above 1e-13·σ_1 (more directions can only lower the bound). Units as {@link SharedTokenLossBound}.
 */
public final class PromptLengthLossBound {
  public static final String NAME = "prompt-length-loss-bound";
  public static final String UNIT = "sum of squared errors";

  private PromptLengthLossBound() {}

  /** The bound for prompts of length {@code promptLength} ≥ 1 on a PTLab model and a dataset. */
  public static Certificate certify(Transformer model, double[][][] inputs, double[][][] targets, int promptLength) {
    if (promptLength < 1) throw new IllegalArgumentException("prompt length must be >= 1, got " + promptLength);
    List<String> why = PromptRequirements.whyNot(model.config());
    if (!why.isEmpty()) return Certificate.refuses(NAME, UNIT, String.join("; ", why), Map.of());
    PaperLayer layer = PaperLayer.of(model);
    ArrayData.check(inputs, targets, layer.d());
    MlpInjectivity inj = MlpInjectivity.of(layer);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("ell", inj.ell());
    if (!inj.applies()) return Certificate.refuses(NAME, UNIT, inj.reason(), details);
    PromptRequirements req = PromptRequirements.of(layer, inj.ell(), inputs, targets);
    double[] sv = LinAlg.singularValues(projectedC(req, layer.d()));
    int q = Math.min(promptLength, PromptRequirements.valueRank(layer));
    double tail = 0;
    for (int i = q; i < sv.length; i++) tail += sv[i] * sv[i];
    double dist = Math.max(0, Math.sqrt(tail) - req.inverseErrorNorm());
    double sse = (1 - inj.ell()) * (1 - inj.ell()) * dist * dist;
    details.put("prompt_length", promptLength);
    details.put("effective_rank_q", q);
    details.put("eval_loss", sse / (ArrayData.positions(inputs) * layer.d()));
    details.put("singular_values_projected_c", sv);
    details.put("prompt_parameters", (long) promptLength * layer.d());
    String reason = String.format(Locale.ROOT, "no prompt of %d tokens brings the summed squared error below %.6g",
        promptLength, sse);
    return new Certificate(NAME, true, sse, UNIT, reason, req.positions(), details);
  }

  /** ΠC [d][K]: the c_k with their components in span{b} removed. */
  private static double[][] projectedC(PromptRequirements req, int d) {
    double[][] c = LinAlg.columns(req.c(), d);
    LinAlg.Svd sb = LinAlg.Svd.of(LinAlg.columns(req.b(), d));
    int rank = sb.sigma()[0] == 0 ? 0 : LinAlg.countAbove(sb.sigma(), 1e-13 * sb.sigma()[0]);
    for (int r = 0; r < rank; r++) {
      for (int k = 0; k < c[0].length; k++) {
        double dot = 0;
        for (int i = 0; i < d; i++) dot += sb.u()[i][r] * c[i][k];
        for (int i = 0; i < d; i++) c[i][k] -= dot * sb.u()[i][r];
      }
    }
    return c;
  }
}
