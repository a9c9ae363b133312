package org.ptlab.theory.hu2025;

import org.ptlab.tensor.Tensor;

/**
 * The output of {@link PolynomialAttention} with its certificate: every result carries the bound
 * ‖T − Att‖_max ≤ 2ε_g/(1−ε_g)·‖V‖_max ({@link #bound()}, spec hu2025.md §4.4, [D]).
 *
 * @param out T [nq, dv] row-major
 * @param denominators w̃ [nq]: the approximate row sums U_1(U_2ᵀ1); a row whose w̃_i is ≤ 0 or not finite, or
 *     whose output leaves V's bounding box (see {@link PolynomialAttention}), was computed exactly instead
 * @param nq query rows
 * @param dv value columns
 * @param plan R, ε, the polynomial and ‖V‖_max
 * @param rank r = C(s+g, g), the number of features
 * @param fallbackRows how many rows failed the guard and were computed exactly
 */
public record PolyResult(double[] out, double[] denominators, int nq, int dv, PolyPlan plan, int rank,
    int fallbackRows) {
  /** The certified max-norm error of {@link #out} against exact attention (+∞ if ε_g ≥ 1). */
  public double bound() {
    return plan.bound();
  }

  /** g. */
  public int degree() {
    return plan.degree();
  }

  /** T as an F64 tensor [nq, dv] (shares the array). */
  public Tensor output() {
    return Tensor.of(out, nq, dv);
  }

  /** max_i,c |T − ref| against a reference [nq, dv]. */
  public double maxError(double[] ref) {
    double e = 0;
    for (int i = 0; i < out.length; i++) e = Math.max(e, Math.abs(out[i] - ref[i]));
    return e;
  }

  @Override
  public String toString() {
    return String.format("PolyResult[nq=%d, R=%.4g, eps=%.3g, %s g=%d, r=%d, eps_g=%.3g, bound=%.3g, fallback=%d]",
        nq, plan.range(), plan.eps(), plan.approx().method(), degree(), rank, plan.approx().relError(), bound(),
        fallbackRows);
  }
}
