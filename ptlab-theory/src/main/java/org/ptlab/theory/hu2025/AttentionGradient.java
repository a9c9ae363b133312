package org.ptlab.theory.hu2025;

/**
 * Gradients of a loss ℓ through softmax attention O = f·V (f = softmax(scale·QKᵀ) row-wise), as computed by
 * {@link FastAttentionGradient}, with their certified max-norm errors against the exact gradients.
 *
 * <p>The certificate [D] (derived here from the spec's §4.5 formulas; not in the papers): with
 * η = 2ε_g/(1−ε_g), each approximate weight satisfies |f̃_ij − f_ij| ≤ η·f_ij, and with A_i = ‖G_i‖₁·‖V‖_max,
 * <ul>
 *   <li>|ΔdQ_im| ≤ |scale|·η(3+η)·A_i·max_j|K_jm|;
 *   <li>|ΔdK_jm| ≤ |scale|·η(3+η)·max_i A_i·max_i|Q_im|·c_max, and |ΔdV_jc| ≤ η·max_i|G_ic|·c_max, where
 *       c_max = nq·e^{2R}/nk bounds every column sum Σ_i f_ij (each f_ij ≤ e^{2R}/nk).
 * </ul>
 *
 * @param dq dℓ/dQ [nq, s]
 * @param dk dℓ/dK [nk, s]
 * @param dv dℓ/dV [nk, dv]
 * @param out the forward output f̃·V [nq, dv] it was computed with
 * @param plan R, ε and the polynomial used
 * @param rank r
 * @param fallbackRows query rows handled exactly (denominator guard)
 * @param boundDq certified max |dq − exact|
 * @param boundDk certified max |dk − exact|
 * @param boundDv certified max |dv − exact|
 */
public record AttentionGradient(double[] dq, double[] dk, double[] dv, double[] out, PolyPlan plan, int rank,
    int fallbackRows, double boundDq, double boundDk, double boundDv) {

  /** The three bounds above for the given problem (η from the plan's ε_g); +∞ when ε_g ≥ 1. */
  static double[] bounds(PolyPlan plan, double[] q, int nq, double[] k, int nk, int s, double[] g, int dv,
      double scale, boolean[] keep) {
    double e = plan.approx().relError();
    if (!(e < 1)) return new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    double eta = 2 * e / (1 - e);
    double kMax = 0;
    for (int j = 0; j < nk; j++) {
      if (keep != null && !keep[j]) continue;
      for (int m = 0; m < s; m++) kMax = Math.max(kMax, Math.abs(k[j * s + m]));
    }
    double qMax = PolyPlan.maxAbs(q, nq, s, null);
    double gMax = PolyPlan.maxAbs(g, nq, dv, null);
    double g1 = 0; // max_i ‖G_i‖₁
    for (int i = 0; i < nq; i++) {
      double t = 0;
      for (int c = 0; c < dv; c++) t += Math.abs(g[i * dv + c]);
      g1 = Math.max(g1, t);
    }
    int kept = 0;
    for (int j = 0; j < nk; j++) if (keep == null || keep[j]) kept++;
    double a = g1 * plan.vMax();
    double colSum = kept == 0 ? 0 : nq * Math.exp(2 * plan.range()) / kept;
    double sc = Math.abs(scale);
    return new double[] {sc * eta * (3 + eta) * a * kMax, sc * eta * (3 + eta) * a * qMax * colSum,
        eta * gMax * colSum};
  }
}
