package org.ptlab.theory.wang2023;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.theory.Certificate;

/**
 * A NECESSARY condition on the prompt length for exact memorization (Wang et al. 2023, the prompt-parameter lower
 * bound "L2"; spec wang2023.md §3) [D]. It is not a bound on the loss and not sufficient: prompts of the required
 * length may still fail to fit (softmax weights are positive, query-dependent and coupled across examples; spec C5
 * saw losses far above 0 for m_p ≥ n). For a loss certificate see {@link PromptLengthLossBound}.
 *
 * <p><b>Claim.</b> Single layer, one head, ℓ < 1. With c_k, b_k as in {@link PromptRequirements} over all K input
 * positions, every prompt that memorizes the dataset exactly has
 * <pre>
 *   m_p ≥ rank[c_1 … c_K, b_1 … b_K] − rank[b_1 … b_K].
 * </pre>
 * For the spec's n single-token examples with the 2n vectors {c_i, W x_i} linearly independent this is m_p ≥ n
 * (b_i = W x_i, rank 2n − n). <b>Proof.</b> Exact fit forces v_k := λ_k a_k = c_k − (1 − λ_k) b_k ∈ S = span{W p_j},
 * dim S ≤ m_p. Since c_k = v_k + (1 − λ_k) b_k, span{c, b} ⊆ span{v} + span{b}, so dim span{v} ≥ rank[C, B] − rank B.
 * (If that exceeds rank W, no prompt of any length memorizes the dataset.)
 *
 * <p><b>Numerics.</b> rank[C, B] is a lower bound: singular values above ‖E‖ + 1e-12·σ_1, where ‖E‖_F ≤ √Σε_k² is the
 * inversion error (Weyl). rank B and rank W are upper bounds: singular values above 1e-13·σ_1. So the reported
 * length is never larger than the true requirement (up to float64 rounding of the forward).
 *
 * <p><b>Parameter counts</b> (values, not a verdict): a prompt of the required length has m_p·d trainable
 * parameters; the exact rank-k LoRA of {@link ExactLoraUpdate} has k(d + r). Which is smaller depends on the data:
 * on n single-token examples LoRA typically needs n(d + r) > n·d (spec §0.1).
 */
public final class PromptLengthNecessaryCondition {
  public static final String NAME = "prompt-length-bound";
  public static final String UNIT = "prompt tokens (necessary for exact memorization)";

  private PromptLengthNecessaryCondition() {}

  /** The condition for a PTLab model and a dataset [n][m][d] → [n][m][d]. */
  public static Certificate certify(Transformer model, double[][][] inputs, double[][][] targets) {
    List<String> why = PromptRequirements.whyNot(model.config());
    if (!why.isEmpty()) return Certificate.refuses(NAME, UNIT, String.join("; ", why), Map.of());
    PaperLayer layer = PaperLayer.of(model);
    ArrayData.check(inputs, targets, layer.d());
    MlpInjectivity inj = MlpInjectivity.of(layer);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("ell", inj.ell());
    if (!inj.applies()) return Certificate.refuses(NAME, UNIT, inj.reason() + " (c_k = MLP⁻¹(y_k) − x_k is undefined)", details);
    PromptRequirements req = PromptRequirements.of(layer, inj.ell(), inputs, targets);
    int k = req.c().length;
    double[][] cb = new double[k * 2][];
    System.arraycopy(req.c(), 0, cb, 0, k);
    System.arraycopy(req.b(), 0, cb, k, k);
    double[] svCB = LinAlg.singularValues(LinAlg.columns(cb, layer.d()));
    double[] svB = LinAlg.singularValues(LinAlg.columns(req.b(), layer.d()));
    int rankCB = LinAlg.countAbove(svCB, req.inverseErrorNorm() + 1e-12 * svCB[0]);
    int rankB = svB[0] == 0 ? 0 : LinAlg.countAbove(svB, 1e-13 * svB[0]);
    int need = Math.max(0, rankCB - rankB);
    int rankW = PromptRequirements.valueRank(layer);
    details.put("positions", k);
    details.put("rank_cb_lower", rankCB);
    details.put("rank_b_upper", rankB);
    details.put("rank_w_upper", rankW);
    details.put("singular_values_cb", svCB);
    details.put("prompt_parameters_at_required_length", (long) need * layer.d());
    ExactLoraUpdate lora = ExactLoraUpdate.fit(model, inputs, targets);
    if (lora.certificate().applies()) details.put("exact_lora_parameters", lora.parameters());
    details.put("sufficient", false);
    String reason = need > rankW
        ? String.format(Locale.ROOT, "no prompt of any length memorizes this dataset: it needs %d independent prompt "
            + "directions but W = W_o W_v has rank ≤ %d", need, rankW)
        : String.format(Locale.ROOT, "no prompt shorter than %d tokens memorizes this dataset exactly (a necessary "
            + "condition only: longer prompts may still fail)", need);
    return new Certificate(NAME, true, need, UNIT, reason, req.positions(), details);
  }
}
