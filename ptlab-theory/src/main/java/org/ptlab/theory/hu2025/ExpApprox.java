package org.ptlab.theory.hu2025;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A polynomial P(t) = Σ_{j≤g} a_j t^j that approximates e^t on [−R, R] with a certified relative error:
 * |P(t) − e^t| ≤ ε_g·e^t for every |t| ≤ R. This is the one-dimensional half of the Alman–Song polynomial method
 * (spec hu2025.md §4.4, §4.6); {@link Monomials} lifts it to the kernel e^{q·k}.
 *
 * <p>Two constructions, both [D] (spec §4.6, the implementation spec, not the paper's wording):
 * <ul>
 *   <li>{@link Series#TAYLOR}: a_j = 1/j!. Truncation bound Σ_{j>g} R^j/j! on |P − e^t|, times e^R for the
 *       relative error (e^t ≥ e^{−R}); this is the "Taylor tail ≤ ε·e^{−R}" rule.
 *   <li>{@link Series#CHEBYSHEV}: the interpolant of e^t at the g+1 Chebyshev nodes of [−R, R], converted to
 *       monomials in exact decimal arithmetic (the conversion is what is ill-conditioned, not the polynomial).
 *       Relative to e^t, the error is at most the smaller of the interpolation remainder
 *       2(R/2)^{g+1}/(g+1)!·(1 + Σ_k e^{t_k+R})/(g+2) over the nodes t_k (Hermite–Genocchi with the convexity of
 *       exp; {@link #chebyshevTruncation}) and the aliasing bound 2Σ_{m>g}|b_m| of the Chebyshev series
 *       e^{Rx} = I_0(R) + 2Σ I_m(R)T_m(x), with I_m(R) ≤ (R/2)^m/m!·e^{R²/(4(m+1))}, times e^R. It has a lower
 *       degree than Taylor for every R and ε of interest (about 2^g times smaller error at equal degree).
 * </ul>
 * Both certificates add a floating-point allowance ({@link #rounding}): 4(g+2)·u·Σ|a_j|R^j·e^R (u = 2⁻⁵³) for
 * coefficient rounding and the evaluation of the monomial sum (its terms reach e^R while e^t can be e^{−R}), plus
 * (g+1)²·u·e^{2R} for Chebyshev's double-precision node sums. It is negligible for R ≤ 4 (≤ 1e-10) and dominates
 * beyond R ≈ 8: relative accuracy at t = −R from terms of size e^R is a float64 limit, not a complexity one.
 *
 * <pre>{@code
 * ExpApprox p = ExpApprox.choose(1.0, 1e-6);   // lowest degree of the two methods with ε_g ≤ 1e-6
 * p.degree();                                  // 7 (Chebyshev); Taylor would need 9
 * }</pre>
 *
 * @param method how the coefficients were built
 * @param degree g
 * @param coeffs a_0..a_g (length g+1)
 * @param range R: the certificate holds on [−R, R]
 * @param truncation the exact-arithmetic bound on |P(t) − e^t|/e^t over [−R, R] (the paper's ε for degree g)
 * @param rounding the float64 allowance added to it
 */
public record ExpApprox(Series method, int degree, double[] coeffs, double range, double truncation, double rounding) {
  /** Unit round-off of float64. */
  static final double U = 0x1.0p-53;
  /** Highest degree considered by {@link #choose}: beyond it the rank C(s+g, g) is out of reach for any s ≥ 3. */
  public static final int MAX_DEGREE = 200;

  /** The two polynomial families. */
  public enum Series { TAYLOR, CHEBYSHEV }

  public ExpApprox {
    coeffs = coeffs.clone();
    if (coeffs.length != degree + 1) {
      throw new IllegalArgumentException("ExpApprox: " + coeffs.length + " coefficients for degree " + degree);
    }
  }

  /** ε_g: the certified bound on |P(t) − e^t|/e^t over [−R, R], truncation plus rounding (≥ 1: no certificate). */
  public double relError() {
    return truncation + rounding;
  }

  /** The degree-g Taylor polynomial with its certificate on [−R, R]. */
  public static ExpApprox taylor(int g, double range) {
    checkArgs(g, range);
    double[] a = new double[g + 1];
    a[0] = 1;
    for (int j = 1; j <= g; j++) a[j] = a[j - 1] / j;
    double bound = taylorTail(g, range) * Math.exp(range);
    return new ExpApprox(Series.TAYLOR, g, a, range, bound, roundingAllowance(a, range, 0));
  }

  /** The degree-g Chebyshev interpolant of e^t on [−R, R] with its certificate. */
  public static ExpApprox chebyshev(int g, double range) {
    checkArgs(g, range);
    if (range == 0) return taylor(g, 0); // a single point: the constant 1 is exact
    int nodes = g + 1;
    MathContext mc = new MathContext(60);
    // Chebyshev coefficients b_m = (2/(g+1)) Σ_k e^{R x_k} T_m(x_k), x_k = cos(π(k+½)/(g+1)); b_0 halved.
    BigDecimal[] b = new BigDecimal[nodes];
    for (int m = 0; m < nodes; m++) {
      double sum = 0;
      for (int k = 0; k < nodes; k++) {
        double theta = Math.PI * (k + 0.5) / nodes;
        sum += Math.exp(range * Math.cos(theta)) * Math.cos(m * theta);
      }
      b[m] = new BigDecimal(sum * (m == 0 ? 1.0 : 2.0) / nodes);
    }
    // T_m(x) in monomials (exact integers), then P(t) = Σ_m b_m T_m(t/R) → a_j = Σ_m b_m·T_m[j] / R^j.
    BigDecimal[][] cheb = chebyshevMonomials(g);
    double[] a = new double[nodes];
    BigDecimal rPow = BigDecimal.ONE;
    BigDecimal r = new BigDecimal(range);
    for (int j = 0; j <= g; j++) {
      BigDecimal acc = BigDecimal.ZERO;
      for (int m = j; m <= g; m++) acc = acc.add(b[m].multiply(cheb[m][j], mc), mc);
      a[j] = acc.divide(rPow, mc).doubleValue();
      rPow = rPow.multiply(r, mc);
    }
    return new ExpApprox(Series.CHEBYSHEV, g, a, range, chebyshevTruncation(g, range),
        roundingAllowance(a, range, (g + 1.0) * (g + 1.0)));
  }

  /**
   * The relative error |e^t − P(t)|/e^t over [−R, R] of the Chebyshev interpolant: the smaller of the interpolation
   * remainder and the aliasing bound ×e^R. The remainder is e^t − P(t) = e[t_0..t_g, t]·ω(t) with |ω| ≤ 2(R/2)^{g+1}
   * at the Chebyshev nodes t_k. By Hermite–Genocchi and the convexity of exp, a divided difference of exp over g+2
   * points is at most the mean of e over the points divided by (g+1)!, so the relative error at t is at most
   * 2(R/2)^{g+1}/(g+1)!·(1 + Σ_k e^{t_k − t})/(g+2), largest at t = −R. [D] This replaces the classical bound
   * e^{2R}·2(R/2)^{g+1}/(g+1)! (the largest e^ξ over the smallest e^t), which it never exceeds (each term of the
   * mean is ≤ e^{2R}) and undercuts by 1.6× at R = 0.5, 2.2× at R = 0.92, 2.3× at R = 1, 3.6× at R = 2 (g = 7):
   * one degree less at the benchmark's R = 0.92, ε = 5e-7.
   */
  static double chebyshevTruncation(int g, double range) {
    if (range == 0) return 0;
    // 1 + Σ_k e^{t_k + R} = e^{2R}·(e^{−2R} + Σ_k e^{t_k − R}), in logs so that large R does not overflow
    double sum = Math.exp(-2 * range);
    for (int k = 0; k <= g; k++) sum += Math.exp(range * Math.cos(Math.PI * (k + 0.5) / (g + 1)) - range);
    sum *= 1 + 1e-12; // the float64 rounding of g + 2 positive terms, rounded up
    double remainder = Math.exp(logClassicalRemainder(g, range) + Math.log(sum / (g + 2)));
    double aliasing = 4 * Math.exp(range * range / (4.0 * (g + 2))) * taylorTail(g, range / 2) * Math.exp(range);
    return Math.min(remainder, aliasing);
  }

  /** The classical remainder bound e^{2R}·2(R/2)^{g+1}/(g+1)!, kept to show what {@link #chebyshevTruncation} gains. */
  static double classicalChebyshevRemainder(int g, double range) {
    return Math.exp(logClassicalRemainder(g, range));
  }

  private static double logClassicalRemainder(int g, double range) {
    return 2 * range + Math.log(2) + (g + 1) * Math.log(range / 2) - logFactorial(g + 1);
  }

  /**
   * The lowest-degree approximation with ε_g = truncation + rounding ≤ eps on [−R, R], over both methods (Taylor
   * when both suffice at that degree: its coefficients are positive, so its features need no sign split). Where
   * float64 rounding alone exceeds eps (large R, see the class comment) it returns the lowest degree whose
   * truncation is ≤ eps: the paper's degree, with an honest certificate {@link #relError()} above eps that callers
   * must check.
   * Throws if no degree ≤ {@link #MAX_DEGREE} has truncation ≤ eps.
   */
  public static ExpApprox choose(double range, double eps) {
    if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("ExpApprox.choose: eps must be in (0, 1), got " + eps);
    ExpApprox firstTruncated = null;
    for (int g = 0; g <= MAX_DEGREE; g++) {
      ExpApprox t = taylor(g, range);
      if (t.relError() <= eps) return t;
      // the Chebyshev coefficients cost exact arithmetic: build them only where the certificate can pass
      double ct = chebyshevTruncation(g, range);
      double nodeRounding = (g + 1.0) * (g + 1.0) * U * Math.exp(2 * range);
      ExpApprox c = ct + nodeRounding <= eps || (firstTruncated == null && ct <= eps) ? chebyshev(g, range) : null;
      if (c != null && c.relError() <= eps) return c;
      ExpApprox best = c != null && c.truncation < t.truncation ? c : t;
      if (firstTruncated == null && best.truncation <= eps) firstTruncated = best;
      // rounding hardly grows with g: a few degrees past the truncation threshold settles it
      if (firstTruncated != null && g >= firstTruncated.degree + 4) return firstTruncated;
    }
    if (firstTruncated != null) return firstTruncated;
    throw new IllegalArgumentException("ExpApprox.choose: no degree <= " + MAX_DEGREE + " reaches relative error "
        + eps + " on [-" + range + ", " + range + "]");
  }

  /** The lowest Taylor degree with truncation ≤ eps (the spec §4.6 table's rule), to compare with {@link #choose}. */
  public static int taylorDegree(double range, double eps) {
    for (int g = 0; g <= MAX_DEGREE; g++) if (taylor(g, range).truncation <= eps) return g;
    throw new IllegalArgumentException("taylorDegree: no degree <= " + MAX_DEGREE + " reaches " + eps + " at R=" + range);
  }

  /** P(t) by Horner's rule. */
  public double eval(double t) {
    double y = 0;
    for (int j = degree; j >= 0; j--) y = y * t + coeffs[j];
    return y;
  }

  /** Σ_{j>g} R^j/j!, summed term by term from j = g+1 (no cancellation), in log space for large R. */
  static double taylorTail(int g, double range) {
    if (range == 0) return 0;
    double logTerm = (g + 1) * Math.log(range) - logFactorial(g + 1);
    double sum = 0;
    for (int j = g + 1; ; j++) {
      double term = Math.exp(logTerm);
      sum += term;
      if (j > range && term <= 1e-17 * sum) return sum;
      logTerm += Math.log(range) - Math.log(j + 1);
    }
  }

  /** 4(g+2)·u·Σ|a_j|R^j·e^R + nodes·u·e^{2R}: see the class comment. */
  private static double roundingAllowance(double[] a, double range, double nodes) {
    double s = 0;
    double p = 1;
    for (double c : a) {
      s += Math.abs(c) * p;
      p *= range;
    }
    double eR = Math.exp(range);
    return (4 * (a.length + 1) * s + nodes * eR) * U * eR;
  }

  static double logFactorial(int n) {
    double s = 0;
    for (int i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }

  /** Monomial coefficients of T_0..T_g: T_{m+1} = 2x·T_m − T_{m−1}; cheb[m][j] is the coefficient of x^j. */
  private static BigDecimal[][] chebyshevMonomials(int g) {
    BigDecimal[][] t = new BigDecimal[g + 1][];
    for (int m = 0; m <= g; m++) {
      t[m] = new BigDecimal[g + 1];
      java.util.Arrays.fill(t[m], BigDecimal.ZERO);
    }
    t[0][0] = BigDecimal.ONE;
    if (g >= 1) t[1][1] = BigDecimal.ONE;
    BigDecimal two = BigDecimal.valueOf(2);
    for (int m = 1; m < g; m++) {
      for (int j = 0; j <= g; j++) {
        BigDecimal v = t[m - 1][j].negate();
        if (j > 0) v = v.add(two.multiply(t[m][j - 1]));
        t[m + 1][j] = v;
      }
    }
    return t;
  }

  private static void checkArgs(int g, double range) {
    if (g < 0) throw new IllegalArgumentException("ExpApprox: degree must be >= 0, got " + g);
    if (!(range >= 0) || range > 700) {
      throw new IllegalArgumentException("ExpApprox: range R must be in [0, 700] (e^R must be finite), got " + range);
    }
  }
}
