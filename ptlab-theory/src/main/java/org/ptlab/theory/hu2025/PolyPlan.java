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

  /** max_i ‖x_i‖² over the kept rows (each row's squares summed in order; four rows at a time for the max). */
  static double maxRowNormSq(double[] x, int n, int s, boolean[] keep) {
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double b3 = 0;
    int i = 0;
    if (keep == null) { // independent maxima (max is exact and order-free): the loop is not one long dependency chain
      for (; i + 3 < n; i += 4) {
        b0 = Math.max(b0, normSq(x, i * s, s));
        b1 = Math.max(b1, normSq(x, (i + 1) * s, s));
        b2 = Math.max(b2, normSq(x, (i + 2) * s, s));
        b3 = Math.max(b3, normSq(x, (i + 3) * s, s));
      }
    }
    for (; i < n; i++) if (keep == null || keep[i]) b0 = Math.max(b0, normSq(x, i * s, s));
    return Math.max(Math.max(b0, b1), Math.max(b2, b3));
  }

  private static double normSq(double[] x, int off, int s) {
    double ss = 0;
    for (int j = 0; j < s; j++) ss += x[off + j] * x[off + j];
    return ss;
  }

  /** ‖v‖_max over the kept rows of v [n, dv] (0 when none is kept). */
  static double maxAbs(double[] v, int n, int dv, boolean[] keep) {
    return ValueBox.of(v, n, dv, keep).vMax();
  }
}
