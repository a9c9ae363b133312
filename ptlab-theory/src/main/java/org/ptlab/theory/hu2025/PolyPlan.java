package org.ptlab.theory.hu2025;

/**
 * What the polynomial method will do for one attention problem, decided in O(n·s) before any O(n·r) work: the
 * exponent range R, the relative kernel error ε it targets, the polynomial (degree g, method, certified ε_g) and
 * the feature map (rank r = C(s+g, g)).
 *
 * <p>R is the Cauchy–Schwarz bound |scale|·max_i‖q_i‖₂·max_j‖k_j‖₂ ≥ max_ij |scale·q_i·k_j| (only unmasked keys).
 * It is what makes the certificate hold for every entry without computing the n×n scores. It is at most
 * s·B_Q·B_K·|scale| (spec §4.6), and on random data with a corner near the bound it is within a few percent of the
 * true maximum.
 *
 * @param range R
 * @param eps the target relative error of the kernel entries
 * @param approx the chosen polynomial with its certificate ε_g (≤ eps unless float64 rounding prevents it)
 * @param vMax ‖V‖_max over the unmasked keys
 */
public record PolyPlan(double range, double eps, ExpApprox approx, double vMax) {
  /** The certified ‖T − Att‖_max ≤ 2ε_g/(1−ε_g)·‖V‖_max (spec §4.4 [D]); +∞ when ε_g ≥ 1 (no certificate). */
  public double bound() {
    double e = approx.relError();
    return e < 1 ? 2 * e / (1 - e) * vMax : Double.POSITIVE_INFINITY;
  }

  /** g. */
  public int degree() {
    return approx.degree();
  }

  /** r = C(s+g, g) for head size s. */
  public double rank(int s) {
    return Monomials.binomial(s + approx.degree(), approx.degree());
  }

  /** The relative kernel error that makes the output bound equal δ: ε = δ/(2‖V‖_max + δ) (solves 2ε/(1−ε)·‖V‖ = δ). */
  public static double epsForTolerance(double delta, double vMax) {
    if (!(delta > 0)) throw new IllegalArgumentException("tolerance must be > 0, got " + delta);
    return vMax == 0 ? 0.5 : Math.min(0.5, delta / (2 * vMax + delta));
  }

  /** R = |scale|·max‖q_i‖·max‖k_j‖ over the rows of q [nq, s] and the kept rows of k [nk, s]. */
  public static double rangeBound(double[] q, int nq, double[] k, int nk, int s, double scale, boolean[] keep) {
    return Math.abs(scale) * Math.sqrt(maxRowNormSq(q, nq, s, null)) * Math.sqrt(maxRowNormSq(k, nk, s, keep));
  }

  static double maxRowNormSq(double[] x, int n, int s, boolean[] keep) {
    double best = 0;
    for (int i = 0; i < n; i++) {
      if (keep != null && !keep[i]) continue;
      double ss = 0;
      for (int j = 0; j < s; j++) ss += x[i * s + j] * x[i * s + j];
      best = Math.max(best, ss);
    }
    return best;
  }

  static double maxAbs(double[] v, int n, int dv, boolean[] keep) {
    double best = 0;
    for (int i = 0; i < n; i++) {
      if (keep != null && !keep[i]) continue;
      for (int j = 0; j < dv; j++) best = Math.max(best, Math.abs(v[i * dv + j]));
    }
    return best;
  }
}
