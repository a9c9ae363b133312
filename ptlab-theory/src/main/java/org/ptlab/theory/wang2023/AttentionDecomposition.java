package org.ptlab.theory.wang2023;

import static org.ptlab.theory.wang2023.LinAlg.add;
import static org.ptlab.theory.wang2023.LinAlg.axpy;
import static org.ptlab.theory.wang2023.LinAlg.scale;
import static org.ptlab.theory.wang2023.LinAlg.sub;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact identity behind every limitation result of Wang et al. 2023 (spec wang2023.md §1.7) [D; Petrov et al.
 * 2023 state it independently]: for a query token x, a prompt P and inputs X, per head h
 * <pre>
 *   Att^h(x, [P, X]) = λ_h·Att^h(x, P) + (1 − λ_h)·Att^h(x, X),
 *   λ_h = Z_P^h / (Z_P^h + Z_X^h) ∈ (0, 1),   Z_S^h = Σ_{z ∈ S} e^{s_h(z)},  s_h(z) = scale·(W_k^h z)ᵀ W_q^h x.
 * </pre>
 * a_h := Att^h(x, P) is a convex combination of the W_o^h W_v^h p_j: it depends on P and on x, never on X.
 * b_h := Att^h(x, X) does not depend on P. Summed over heads, the prompt moves the attention output by
 * c − Σ_h b_h = Σ_h λ_h (a_h − b_h), a point of Cone(a_1 − b_1, …, a_h − b_h) (the paper's cone notation, [R]):
 * with one head this is a segment toward the single vertex a, which is what makes shared tokens un-memorizable.
 *
 * <p>Assumptions: the layer of {@link PaperLayer} (no attention bias, no positional embeddings); X here is the set of
 * keys the query sees (all inputs, or those up to the query when causal); the prompt is seen by every query. λ is
 * computed from log-partition sums, so large logits do not overflow. Float64 throughout.
 *
 * <pre>{@code
 * AttentionDecomposition dec = AttentionDecomposition.of(layer, x0, prompt, inputs);
 * dec.lambda(0);          // λ of head 0
 * dec.combined();         // Σ_h λ_h a_h + (1 − λ_h) b_h  ==  dec.direct()  (to float64 rounding)
 * }</pre>
 *
 * @param heads per head: λ_h, a_h = Att^h(x, P), b_h = Att^h(x, X), and log Z_P, log Z_X
 * @param direct Att(x, [P, X]) computed by one softmax over the concatenated keys (the model's way)
 */
public record AttentionDecomposition(List<Head> heads, double[] direct) {

  /**
   * One head's pieces.
   *
   * @param lambda λ_h ∈ (0, 1)
   * @param a Att^h(x, P) [d]
   * @param b Att^h(x, X) [d]
   * @param logZPrompt log Z_P^h
   * @param logZInputs log Z_X^h
   */
  public record Head(double lambda, double[] a, double[] b, double logZPrompt, double logZInputs) {}

  /**
   * The decomposition for query {@code x} over keys [P; X]: {@code prompt} [m_p][d] (m_p ≥ 1) and {@code inputs}
   * [m][d] (m ≥ 1), rows are tokens.
   */
  public static AttentionDecomposition of(PaperLayer layer, double[] x, double[][] prompt, double[][] inputs) {
    if (prompt.length == 0 || inputs.length == 0) {
      throw new IllegalArgumentException("decomposition: needs at least one prompt token and one input token");
    }
    List<Head> heads = new ArrayList<>();
    for (int h = 0; h < layer.heads(); h++) {
      double lzp = layer.logPartition(h, x, prompt);
      double lzx = layer.logPartition(h, x, inputs);
      double lambda = 1 / (1 + Math.exp(lzx - lzp)); // Z_P / (Z_P + Z_X), in logs
      heads.add(new Head(lambda, layer.headAttention(h, x, prompt), layer.headAttention(h, x, inputs), lzp, lzx));
    }
    double[] direct = layer.attention(x, PaperLayer.concat(prompt, inputs));
    return new AttentionDecomposition(List.copyOf(heads), direct);
  }

  /** λ_h. */
  public double lambda(int h) {
    return heads.get(h).lambda();
  }

  /** Σ_h λ_h a_h + (1 − λ_h) b_h: the right-hand side of the identity. */
  public double[] combined() {
    double[] out = new double[direct.length];
    for (Head h : heads) out = add(out, add(scale(h.lambda(), h.a()), scale(1 - h.lambda(), h.b())));
    return out;
  }

  /** Att(x, X) = Σ_h b_h, the attention output without a prompt. */
  public double[] withoutPrompt() {
    double[] out = new double[direct.length];
    for (Head h : heads) out = add(out, h.b());
    return out;
  }

  /** The cone generators a_h − b_h, one per head. */
  public List<double[]> coneGenerators() {
    return heads.stream().map(h -> sub(h.a(), h.b())).toList();
  }

  /** Σ_h λ_h (a_h − b_h): the prompt-induced change, a positive combination of {@link #coneGenerators()}. */
  public double[] promptChange() {
    double[] out = new double[direct.length];
    for (Head h : heads) out = axpy(out, h.lambda(), sub(h.a(), h.b()));
    return out;
  }

  /** ‖direct − combined‖ / max(‖direct‖, tiny): how well the identity holds in float64. */
  public double relativeResidual() {
    return Math.sqrt(LinAlg.dist2(direct, combined())) / Math.max(LinAlg.norm(direct), 1e-300);
  }
}
