package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.theory.SpectralNorms;

/**
 * Lipschitz bound of multi-head softmax attention on a norm ball (Wang et al. 2023, §6 Lemma 6 as reconstructed in
 * spec wang2023.md §4 [D]; the paper's own constant was not retrievable). Tokens are rows.
 *
 * <p><b>Norm.</b> ‖X‖_{∞,2} = max_j ‖x_j‖₂ over tokens (rows), on inputs and outputs alike.
 *
 * <p><b>Assumptions.</b> Every token that enters the layer (prompt rows included) has ‖x_j‖ ≤ D; no attention
 * biases; any mask (causal or none): a query averages over the keys it sees. Perturbations may touch any subset of
 * tokens (e.g. the input rows only, the prompt held fixed).
 *
 * <p><b>Statement.</b> With V_h, A_h as in {@link BlockWeights}, for X, X' in the ball,
 * ‖Att(X) − Att(X')‖_{∞,2} ≤ L·‖X − X'‖_{∞,2} with
 * <pre>
 *   L_spec  = Σ_h ‖V_h‖₂ (1 + 4 D² ‖A_h‖₂)     (spec §4, "Lemma 6")
 *   L_tight = Σ_h ‖V_h‖₂ (1 + 2 D² ‖A_h‖₂)     [D], this class, ≤ L_spec
 * </pre>
 *
 * <p><b>Proof of L_tight</b> [D] (one head; heads add). The ball is convex, so it suffices to bound the
 * directional derivative along E with ‖e_j‖ ≤ ε. For query i with weights a_j = softmax_j(s_ij) and x̄ = Σ_j a_j x_j:
 * d out_i = V Σ_j a_j e_j + V Σ_j a_j δ_j (x_j − x̄), where δ_j = ds_ij − Σ_k a_k ds_ik and
 * ds_ij = e_iᵀ A x_j + x_iᵀ A e_j (the spec's derivation is the same up to here). The first term is ≤ ‖V‖ε. For the
 * second, Cauchy–Schwarz under the weights a gives
 * ‖Σ_j a_j δ_j (x_j − x̄)‖ ≤ (Σ_j a_j δ_j²)^{1/2} (Σ_j a_j ‖x_j − x̄‖²)^{1/2}. The second factor is
 * (Σ_j a_j‖x_j‖² − ‖x̄‖²)^{1/2} ≤ D. The first is the standard deviation of ds_i· under a, and every ds_ij lies in
 * [−2‖A‖Dε, 2‖A‖Dε], so by Popoviciu's inequality it is ≤ half that range, 2‖A‖Dε. Hence
 * ‖d out_i‖ ≤ ‖V‖(1 + 2D²‖A‖)ε. The spec bounds the same term by Σ_j a_j |ds_ij| ‖x_j − x̄‖ ≤ 2‖A‖Dε · 2D, which
 * loses the factor 2 because the two worst cases (|ds_ij| maximal and x_j far from x̄) cannot both hold for every
 * j with positive weight. Tested: never below an observed gain ({@code AttentionLipschitzBoundTest}).
 */
public final class AttentionLipschitzBound {
  private AttentionLipschitzBound() {}

  /**
   * One head's terms.
   *
   * @param normV ‖V_h‖₂
   * @param normA ‖A_h‖₂
   * @param spec ‖V_h‖(1 + 4D²‖A_h‖)
   * @param tight ‖V_h‖(1 + 2D²‖A_h‖) [D]
   */
  public record Head(double normV, double normA, double spec, double tight) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("norm_v", normV);
      m.put("norm_a", normA);
      m.put("bound", spec);
      m.put("bound_tight", tight);
      return m;
    }
  }

  /**
   * One layer: the heads and their sums.
   *
   * @param radius D, the token-norm radius the bound holds on
   * @param heads per-head terms
   * @param spec Σ_h of the spec's per-head bound
   * @param tight Σ_h of the tighter per-head bound [D]
   * @param sumNormV Σ_h ‖V_h‖ (how much the layer can grow a token's norm: see {@link RadiusRecursion})
   */
  public record Layer(double radius, List<Head> heads, double spec, double tight, double sumNormV) {
    /** The per-head terms as maps, for a certificate's details. */
    public List<Map<String, Object>> headMaps() {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Head h : heads) out.add(h.toMap());
      return out;
    }
  }

  /** The bound of layer {@code w} on the ball of token radius {@code radius}. */
  public static Layer of(BlockWeights w, double radius) {
    if (!(radius >= 0) || Double.isInfinite(radius)) {
      throw new IllegalArgumentException("radius D must be finite and >= 0, got " + radius);
    }
    List<Head> heads = new ArrayList<>();
    double spec = 0;
    double tight = 0;
    double sumV = 0;
    for (int h = 0; h < w.heads(); h++) {
      double nv = SpectralNorms.of(w.valueOutput(h));
      double na = SpectralNorms.of(w.score(h));
      Head head = new Head(nv, na, spec(nv, na, radius), tight(nv, na, radius));
      heads.add(head);
      spec += head.spec();
      tight += head.tight();
      sumV += nv;
    }
    return new Layer(radius, List.copyOf(heads), spec, tight, sumV);
  }

  /** ‖V‖(1 + 4D²‖A‖), spec §4. */
  public static double spec(double normV, double normA, double radius) {
    return normV * (1 + 4 * radius * radius * normA);
  }

  /** ‖V‖(1 + 2D²‖A‖) [D], proved in the class javadoc. */
  public static double tight(double normV, double normA, double radius) {
    return normV * (1 + 2 * radius * radius * normA);
  }
}
