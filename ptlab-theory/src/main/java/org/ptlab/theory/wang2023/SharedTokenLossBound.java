package org.ptlab.theory.wang2023;

import static org.ptlab.theory.wang2023.LinAlg.sub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ptlab.nn.Transformer;
import org.ptlab.theory.Certificate;

/**
 * No prompt of any length brings the loss of a dataset with a shared token below this value (Wang et al. 2023,
 * the single-layer limitation "L1"; spec wang2023.md §2.2 and its §0.1 correction) [D].
 *
 * <p><b>Claim.</b> Let the token x_0 occur at position j in example i and at position j′ in example i′ (any two
 * distinct positions; i = i′ allowed). For the layer of {@link PaperLayer} with one head and ℓ = ‖W2‖‖W1‖ < 1,
 * every prompt P of every length m_p ≥ 1 gives
 * <pre>
 *   ‖τ([P, X_i])_j − y_ij‖² + ‖τ([P, X_i′])_j′ − y_i′j′‖² ≥ (1 − ℓ)² · inf_{s ∈ [1,∞)²} ‖Δ + s_1u_1 − s_2u_2‖²/(s_1² + s_2²)
 * </pre>
 * with b_k = Att(x_0, X_k) (the keys the query sees, no prompt), Δ = b_1 − b_2, u_k = MLP⁻¹(y_k) − x_0 − b_k.
 * <b>Proof.</b> By {@link AttentionDecomposition} the pre-MLP vector is z_k = x_0 + λ_k·a + (1 − λ_k)·b_k with the
 * same a = Att(x_0, P) in both (same query, same prompt). So z_k − z_k* = λ_k(a − c_k), c_k = b_k + u_k/λ_k, and
 * by {@link MlpInjectivity} each loss term is ≥ (1 − ℓ)²·λ_k²‖a − c_k‖². Minimising Σ_k λ_k²‖a − c_k‖² over a ∈ R^d
 * (weighted mean) gives λ_1²λ_2²/(λ_1² + λ_2²)·‖c_1 − c_2‖² = ‖Δ + s_1u_1 − s_2u_2‖²/(s_1² + s_2²), s_k = 1/λ_k.
 * The infimum is exact ({@link RatioOfQuadraticsInfimum}). The certificate also uses the softmax coupling
 * s_k = 1 + Z_k/Z_P (same Z_P in both; {@link RatioOfQuadraticsInfimum#coupled}), which can only raise the bound.
 * For the symmetric construction u_1 = −u_2 = α·Δ the relaxed infimum is α²‖Δ‖², the spec's closed form.
 *
 * <p><b>Inverse error.</b> MLP⁻¹(y) is computed by {@link MlpInverse} with error ≤ ε_k; the square root of the
 * bound is a distance from (z_1*, z_2*) to the set of reachable pre-MLP pairs, 1-Lipschitz in (z_1*, z_2*), so the
 * certificate uses (1 − ℓ)²·max(0, √inf − √(ε_1² + ε_2²))².
 *
 * <p><b>Pairing rule</b> (more than two occurrences of one token, or several shared tokens): each pair of
 * occurrences gives a valid bound on the sum of its own two loss terms, so the max over pairs is valid; pairs that
 * share no position bound disjoint sets of terms, so their sum is valid too. The certificate takes a greedy disjoint
 * matching (pairs by decreasing bound, skipping pairs that reuse a position), whose sum is ≥ the max over pairs.
 *
 * <p><b>Units.</b> {@code value} is the paper's sum of squared errors (over the shared-token positions, hence also
 * over the whole dataset). {@code details.eval_loss} is the same bound in {@code ptlab eval}'s units: the MSE
 * averaged over every input position of every example and every dimension, i.e. value / (positions·d) (the
 * trainer's masked MSE, {@code org.ptlab.tuning.train.Task}).
 *
 * <p><b>Does not apply</b> (the certificate says so): not the paper's layer ({@link PaperLayer#whyNot}), more than
 * one head (the common-vertex argument fails: the prompt moves the output inside a cone with several free
 * generators, spec §2.2 caveat), ℓ ≥ 1, or no token occurring twice. Positions are compared as exact float64 rows.
 * The model's float64 forward is trusted to rounding (≈1e-15 relative), which the rounding margin covers.
 */
public final class SharedTokenLossBound {
  public static final String NAME = "shared-token-loss-bound";
  public static final String UNIT = "sum of squared errors";

  private SharedTokenLossBound() {}

  /**
   * One occurrence of a shared token.
   *
   * @param at where it is
   * @param b Att(x_0, keys) without a prompt [d]
   * @param u MLP⁻¹(y) − x_0 − b [d]
   * @param logZ log Σ e^{s} over the keys the query sees
   * @param inverseError ≥ ‖computed MLP⁻¹(y) − true MLP⁻¹(y)‖
   */
  public record Occurrence(Certificate.Position at, double[] b, double[] u, double logZ, double inverseError) {}

  /**
   * The bound of one pair.
   *
   * @param relaxed the exact infimum without the softmax coupling
   * @param coupled the exact infimum with it (≥ relaxed)
   * @param sse (1 − ℓ)²·max(0, √max(relaxed, coupled) − √(ε_1² + ε_2²))², the certified pair bound
   */
  public record PairBound(Occurrence first, Occurrence second, RatioOfQuadraticsInfimum.Infimum relaxed,
      RatioOfQuadraticsInfimum.Infimum coupled, double sse) {}

  /** The certificate for a PTLab model (its config is checked first) and a dataset [n][m][d] → [n][m][d]. */
  public static Certificate certify(Transformer model, double[][][] inputs, double[][][] targets) {
    List<String> why = new ArrayList<>(PaperLayer.whyNot(model.config()));
    if (model.config().heads() != 1) {
      why.add("multi-head attention (h = " + model.config().heads() + "): the prompt's change is a cone with several "
          + "generators, the single-vertex argument does not hold");
    }
    if (!why.isEmpty()) return Certificate.refuses(NAME, UNIT, String.join("; ", why), Map.of());
    return certify(PaperLayer.of(model), inputs, targets);
  }

  /** The certificate for a layer already read out of a model. */
  public static Certificate certify(PaperLayer layer, double[][][] inputs, double[][][] targets) {
    ArrayData.check(inputs, targets, layer.d());
    if (layer.heads() != 1) return Certificate.refuses(NAME, UNIT, "multi-head attention (h = " + layer.heads() + ")", Map.of());
    MlpInjectivity inj = MlpInjectivity.of(layer);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("ell", inj.ell());
    if (!inj.applies()) return Certificate.refuses(NAME, UNIT, inj.reason(), details);
    List<PairBound> pairs = new ArrayList<>();
    for (List<Occurrence> group : occurrences(layer, inj.ell(), inputs, targets)) {
      for (int a = 0; a < group.size(); a++) {
        for (int c = a + 1; c < group.size(); c++) pairs.add(pair(group.get(a), group.get(c), inj.ell()));
      }
    }
    if (pairs.isEmpty()) return Certificate.refuses(NAME, UNIT, "no token occurs at two positions of the dataset", details);
    return verdict(pairs, inj, ArrayData.positions(inputs) * layer.d(), details);
  }

  private static Certificate verdict(List<PairBound> pairs, MlpInjectivity inj, long terms, Map<String, Object> details) {
    pairs.sort(Comparator.comparingDouble(PairBound::sse).reversed());
    Set<Certificate.Position> used = new HashSet<>();
    List<Certificate.Position> positions = new ArrayList<>();
    double sum = 0;
    int matched = 0;
    for (PairBound p : pairs) {
      if (p.sse() <= 0 || used.contains(p.first().at()) || used.contains(p.second().at())) continue;
      used.add(p.first().at());
      used.add(p.second().at());
      positions.add(p.first().at());
      positions.add(p.second().at());
      sum += p.sse();
      matched++;
    }
    PairBound best = pairs.get(0);
    details.put("eval_loss", sum / terms);
    details.put("max_pair_sse", best.sse());
    details.put("pairs_matched", matched);
    details.put("pairs_considered", pairs.size());
    details.put("best_pair_relaxed_infimum", best.relaxed().certified());
    details.put("best_pair_coupled_infimum", best.coupled().certified());
    details.put("pairing_rule", "sum over a greedy disjoint matching of pairs (>= max over pairs)");
    String reason = String.format(Locale.ROOT, "no prompt of any length brings the summed squared error below %.6g "
        + "(eval loss %.6g); %s", sum, sum / terms, inj.reason());
    return new Certificate(NAME, true, sum, UNIT, reason, positions, details);
  }

  /** The bound of one pair of occurrences of the same token. */
  public static PairBound pair(Occurrence p, Occurrence q, double ell) {
    double[] delta = sub(p.b(), q.b());
    double top = Math.max(p.logZ(), q.logZ()); // weights w_k ∝ Z_k, scaled so the larger is 1
    var relaxed = RatioOfQuadraticsInfimum.relaxed(delta, p.u(), q.u());
    var coupled = RatioOfQuadraticsInfimum.coupled(delta, p.u(), q.u(), Math.exp(p.logZ() - top),
        Math.exp(q.logZ() - top));
    double root = Math.sqrt(Math.max(relaxed.certified(), coupled.certified()));
    double slack = Math.hypot(p.inverseError(), q.inverseError());
    double dist = Math.max(0, root - slack);
    return new PairBound(p, q, relaxed, coupled, (1 - ell) * (1 - ell) * dist * dist);
  }

  /** The occurrences of every token that appears at two or more positions, grouped by token. */
  public static List<List<Occurrence>> occurrences(PaperLayer layer, double ell, double[][][] inputs, double[][][] targets) {
    Map<List<Double>, List<Certificate.Position>> byToken = new LinkedHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].length; j++) {
        List<Double> key = Arrays.stream(inputs[i][j]).boxed().toList();
        byToken.computeIfAbsent(key, k -> new ArrayList<>()).add(new Certificate.Position(i, j));
      }
    }
    List<List<Occurrence>> groups = new ArrayList<>();
    for (List<Certificate.Position> at : byToken.values()) {
      if (at.size() < 2) continue;
      List<Occurrence> group = new ArrayList<>();
      for (Certificate.Position p : at) group.add(occurrence(layer, ell, inputs[p.example()], targets[p.example()], p));
      groups.add(group);
    }
    return groups;
  }

  private static Occurrence occurrence(PaperLayer layer, double ell, double[][] x, double[][] y, Certificate.Position p) {
    double[] x0 = x[p.position()];
    double[][] keys = layer.context(x, p.position());
    double[] b = layer.attention(x0, keys);
    MlpInverse.Result inv = MlpInverse.solve(layer, ell, y[p.position()], 1e-15, 100_000);
    double[] u = sub(sub(inv.z(), x0), b);
    return new Occurrence(p, b, u, layer.logPartition(0, x0, keys), inv.errorBound());
  }
}
