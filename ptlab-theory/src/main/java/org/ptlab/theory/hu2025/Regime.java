package org.ptlab.theory.hu2025;

import org.ptlab.tensor.Tensor;

/**
 * The regime classifier (check B2): for frozen weights and a prompt, where the attention problem sits relative to
 * the efficiency threshold of Hu et al. (spec hu2025.md §4.2–4.4): the prompt-induced entry bounds B_Q = ‖Q‖_max
 * and B_K = ‖K‖_max, the exponent range R, the degree g and rank r the polynomial method needs for relative kernel
 * error ε, and whether that is sub-quadratic for this n under the {@link CostModel}.
 *
 * <p>The label operationalizes the asymptotic threshold at this n [D]: R &lt; ½·ln n is "below" (B = o(√log n):
 * almost-linear time), R ≥ ln n is "above" (B ≳ √log n: the polynomial method's degree and rank grow to n^{Θ(1)},
 * so it is no longer sub-quadratic), in between "transition". "Above" describes this method, not every algorithm:
 * the SETH lower bound (no truly sub-quadratic algorithm) needs head size d = Θ(log n), and at constant d
 * near-linear algorithms exist (spec hu2025.md §0.1). In the Alman–Song normalization (scale = 1/s) and with
 * entries bounded by B, R ≤ B², so the threshold R = ln n is B = √ln n.
 *
 * @param n keys (L_p + L)
 * @param nq queries
 * @param s head size
 * @param bQ ‖Q‖_max
 * @param bK ‖K‖_max
 * @param range R = |scale|·max‖q_i‖·max‖k_j‖ (≥ max |score|)
 * @param eps target relative kernel error ε
 * @param degree g, or −1 when no degree ≤ {@link ExpApprox#MAX_DEGREE} reaches ε
 * @param rank r = C(s+g, g) (+∞ without a degree)
 * @param predictedFastMs cost model, polynomial forward
 * @param predictedExactMs cost model, exact forward
 * @param subquadratic the polynomial path is predicted cheaper than exact at this n
 * @param label "below", "transition" or "above" the threshold R = ln n (above: the polynomial method is no longer
 *     sub-quadratic; not a statement about other algorithms at constant d)
 */
public record Regime(int n, int nq, int s, double bQ, double bK, double range, double eps, int degree, double rank,
    double predictedFastMs, double predictedExactMs, boolean subquadratic, String label) {

  /** R / ln n: the threshold sits at 1. */
  public double rangeOverLogN() {
    return range / Math.log(n);
  }

  /** Classifies q [nq, s] against k [n, s] with value width sv. */
  public static Regime classify(double[] q, int nq, double[] k, int n, int s, int sv, double scale, double eps,
      CostModel cost) {
    double range = PolyPlan.rangeBound(q, nq, k, n, s, scale, null);
    int degree = -1;
    double rank = Double.POSITIVE_INFINITY;
    try {
      degree = ExpApprox.choose(range, eps).degree();
      rank = Monomials.binomial(s + degree, degree);
    } catch (IllegalArgumentException e) {
      // no degree reaches eps: stays −1 / +∞
    }
    double fast = cost.fastMs(nq, n, rank, sv);
    double exact = cost.exactMs(nq, n, s, sv);
    double logN = Math.log(n);
    String label = range < 0.5 * logN ? "below" : range < logN ? "transition" : "above";
    return new Regime(n, nq, s, PolyPlan.maxAbs(q, nq, s, null), PolyPlan.maxAbs(k, n, s, null), range, eps, degree,
        rank, fast, exact, fast < exact, label);
  }

  /** The regime of a prompt-tuning layer's attention for prompt P [L_p, d] and input X [L, d]. */
  public static Regime of(PromptAttentionLayer layer, Tensor p, Tensor x, boolean allRows, double eps) {
    Tensor q = layer.queries(p, x, allRows);
    Tensor k = layer.keys(p, x);
    int s = q.dim(1);
    return classify(q.toDoubleArray(), q.dim(0), k.toDoubleArray(), k.dim(0), s, s, layer.scale(), eps,
        CostModel.DEFAULT);
  }
}
