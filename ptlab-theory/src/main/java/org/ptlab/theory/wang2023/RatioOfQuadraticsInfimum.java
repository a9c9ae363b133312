package org.ptlab.theory.wang2023;

import static org.ptlab.theory.wang2023.LinAlg.add;
import static org.ptlab.theory.wang2023.LinAlg.dot;
import static org.ptlab.theory.wang2023.LinAlg.scale;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact infimum of the two-example objective of the shared-token bound (spec wang2023.md §2.2 and the
 * correction of §0.1) [D]: with Δ = b_1 − b_2 and s_i = 1/λ_i ∈ [1, ∞),
 * <pre>
 *   f(s) = ‖Δ + s_1·u_1 − s_2·u_2‖² / (s_1² + s_2²).
 * </pre>
 * f is a ratio of quadratics, so its infimum over the closed region is the least of finitely many candidates:
 * <ol>
 *   <li>the corner s = (1, 1);
 *   <li>on each edge (s_1 = 1 or s_2 = 1) the roots t ≥ 1 of the derivative's numerator a_1 + 2(a_2 − a_0)t − a_1t²
 *       (f restricted to the edge is (a_0 + a_1t + a_2t²)/(1 + t²));
 *   <li>interior critical points: with ŝ = (s, 1), N = ŝᵀMŝ, D = ŝᵀEŝ, E = diag(1, 1, 0), ∇f = 0 iff Mŝ = μEŝ
 *       with μ = f(s) (the third row follows from Euler's identity), so μ solves det(M − μE) = 0, a quadratic, and
 *       s is the null vector of M − μE scaled to last entry 1;
 *   <li>s → ∞ in direction θ (θ ≥ 0, ‖θ‖ = 1): f → θᵀQθ, Q the quadratic part; its least value on the quarter
 *       circle is at an endpoint (Q_11, Q_22) or at an eigenvector of Q inside the quadrant.
 * </ol>
 * Every point where a continuous f on a closed unbounded region approaches its infimum is one of these, so the
 * least candidate value is the infimum, not a grid minimum (a grid over-estimates it). Candidates slightly outside
 * the region (by rounding) are kept: they can only lower the result, which keeps it a lower bound.
 *
 * <p>{@link #coupled} restricts to the curve the softmax actually allows [D]: λ_i = Z_P/(Z_P + Z_i) with the same
 * Z_P in both examples (same query token, same prompt), so s_i = 1 + t·w_i with t = 1/Z_P ∈ (0, ∞) and w_i ∝ Z_i.
 * The infimum over t uses the same method in one variable (t = 0, t → ∞, and the roots of the degree-2
 * numerator of f′). It is ≥ the relaxed value and still a lower bound on every prompt's loss.
 *
 * <p>Rounding [D]: candidates are evaluated in float64; {@link Infimum#certified()} subtracts
 * 1e-12·(‖Δ‖² + ‖u_1‖² + ‖u_2‖²), far above the float64 error of the candidate values, and clamps at 0.
 */
public final class RatioOfQuadraticsInfimum {
  private static final double SLACK = 1e-9; // candidates with s_i ≥ 1 − SLACK are kept (see class javadoc)

  private RatioOfQuadraticsInfimum() {}

  /**
   * @param value the least candidate value (exact up to rounding)
   * @param s1 s_1 at the minimiser (+∞ when approached at infinity)
   * @param s2 s_2 at the minimiser (+∞ when approached at infinity)
   * @param where which candidate: "corner", "edge", "interior", "infinity"
   * @param margin the rounding margin {@link #certified()} subtracts
   */
  public record Infimum(double value, double s1, double s2, String where, double margin) {
    /** max(0, value − margin): a lower bound on the infimum in spite of float64 rounding. */
    public double certified() {
      return Math.max(0, value - margin);
    }
  }

  /** inf over s ∈ [1, ∞)² of ‖Δ + s_1u_1 − s_2u_2‖²/(s_1² + s_2²). */
  public static Infimum relaxed(double[] delta, double[] u1, double[] u2) {
    double[] bv = scale(-1, u2);
    double q11 = dot(u1, u1);
    double q12 = dot(u1, bv);
    double q22 = dot(bv, bv);
    double g1 = dot(delta, u1);
    double g2 = dot(delta, bv);
    double c0 = dot(delta, delta);
    List<Infimum> cands = new ArrayList<>();
    double margin = margin(delta, u1, u2);
    cands.add(at(delta, u1, bv, 1, 1, "corner", margin));
    edge(add(delta, u1), bv, cands, delta, u1, bv, true, margin); // s_1 = 1, s_2 = t
    edge(add(delta, bv), u1, cands, delta, u1, bv, false, margin); // s_2 = 1, s_1 = t
    double[][] m = {{q11, q12, g1}, {q12, q22, g2}, {g1, g2, c0}};
    // det(M − μE) = c0·μ² − [c0(q11 + q22) − g1² − g2²]·μ + c0(q11q22 − q12²) − g1²q22 + 2g1g2q12 − g2²q11
    double[] mus = quadraticRoots(c0, -(c0 * (q11 + q22) - g1 * g1 - g2 * g2),
        c0 * (q11 * q22 - q12 * q12) - g1 * g1 * q22 + 2 * g1 * g2 * q12 - g2 * g2 * q11);
    for (double mu : mus) {
      double[] s = nullVector(new double[][] {{q11 - mu, q12, g1}, {q12, q22 - mu, g2}, {g1, g2, c0}});
      if (s == null || Math.abs(s[2]) < 1e-300) continue;
      double s1 = s[0] / s[2];
      double s2 = s[1] / s[2];
      if (s1 >= 1 - SLACK && s2 >= 1 - SLACK) cands.add(at(delta, u1, bv, s1, s2, "interior", margin));
    }
    infinity(q11, q12, q22, cands, margin);
    return least(cands);
  }

  /** inf over t ∈ [0, ∞) of f(1 + t·w_1, 1 + t·w_2), w_i > 0 (the softmax-coupled curve). */
  public static Infimum coupled(double[] delta, double[] u1, double[] u2, double w1, double w2) {
    if (!(w1 > 0 && w2 > 0)) throw new IllegalArgumentException("coupled infimum: weights must be > 0, got " + w1 + ", " + w2);
    double[] bv = scale(-1, u2);
    double[] e = add(add(delta, u1), bv); // the numerator's vector at t = 0
    double[] h = add(scale(w1, u1), scale(w2, bv)); // its slope in t
    double n0 = dot(e, e);
    double n1 = 2 * dot(e, h);
    double n2 = dot(h, h);
    double d0 = 2;
    double d1 = 2 * (w1 + w2);
    double d2 = w1 * w1 + w2 * w2;
    double margin = margin(delta, u1, u2);
    List<Infimum> cands = new ArrayList<>();
    cands.add(new Infimum(n0 / d0, 1, 1, "corner", margin));
    cands.add(new Infimum(n2 / d2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, "infinity", margin));
    // N′D − ND′ = (n1d0 − n0d1) + 2(n2d0 − n0d2)·t + (n2d1 − n1d2)·t² (the t³ terms cancel)
    for (double t : quadraticRoots(n2 * d1 - n1 * d2, 2 * (n2 * d0 - n0 * d2), n1 * d0 - n0 * d1)) {
      if (t < -SLACK) continue;
      double num = n0 + n1 * t + n2 * t * t;
      cands.add(new Infimum(num / (d0 + d1 * t + d2 * t * t), 1 + t * w1, 1 + t * w2, "interior", margin));
    }
    return least(cands);
  }

  /** f at (s1, s2), with B = −u_2. */
  private static Infimum at(double[] delta, double[] u1, double[] bv, double s1, double s2, String where, double margin) {
    double[] r = add(delta, add(scale(s1, u1), scale(s2, bv)));
    return new Infimum(dot(r, r) / (s1 * s1 + s2 * s2), s1, s2, where, margin);
  }

  /** Critical points t ≥ 1 on an edge where the fixed coordinate is 1: N = ‖base + t·dir‖², D = 1 + t². */
  private static void edge(double[] base, double[] dir, List<Infimum> cands, double[] delta, double[] u1, double[] bv,
      boolean firstFixed, double margin) {
    double a0 = dot(base, base);
    double a1 = 2 * dot(base, dir);
    double a2 = dot(dir, dir);
    for (double t : quadraticRoots(-a1, 2 * (a2 - a0), a1)) {
      if (t < 1 - SLACK) continue;
      cands.add(firstFixed ? at(delta, u1, bv, 1, t, "edge", margin) : at(delta, u1, bv, t, 1, "edge", margin));
    }
  }

  /** Limits at infinity: θᵀQθ at θ = (1, 0), (0, 1) and at Q's eigenvectors that lie in the closed quadrant. */
  private static void infinity(double q11, double q12, double q22, List<Infimum> cands, double margin) {
    double inf = Double.POSITIVE_INFINITY;
    cands.add(new Infimum(q11, inf, 1, "infinity", margin));
    cands.add(new Infimum(q22, 1, inf, "infinity", margin));
    double mean = (q11 + q22) / 2;
    double rad = Math.hypot((q11 - q22) / 2, q12);
    for (double ev : new double[] {mean - rad, mean + rad}) {
      double[] v1 = {q12, ev - q11};
      double[] v2 = {ev - q22, q12};
      double[] v = dot(v1, v1) >= dot(v2, v2) ? v1 : v2;
      boolean inQuadrant = (v[0] >= 0 && v[1] >= 0) || (v[0] <= 0 && v[1] <= 0);
      if (inQuadrant && dot(v, v) > 0) cands.add(new Infimum(ev, inf, inf, "infinity", margin));
    }
  }

  /** Real roots of a·t² + b·t + c (a may be 0; a slightly negative discriminant is taken as a double root). */
  static double[] quadraticRoots(double a, double b, double c) {
    double scale = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    if (scale == 0) return new double[0];
    if (Math.abs(a) <= 1e-14 * scale) return Math.abs(b) <= 1e-14 * scale ? new double[0] : new double[] {-c / b};
    double disc = Math.max(0, b * b - 4 * a * c);
    double q = -0.5 * (b + Math.copySign(Math.sqrt(disc), b)); // the cancellation-free form
    if (q == 0) return new double[] {0};
    return new double[] {q / a, c / q};
  }

  /** A null vector of a (nearly) singular 3×3 matrix: the longest cross product of two of its rows. */
  static double[] nullVector(double[][] k) {
    double[] best = null;
    double bestNorm = 0;
    int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
    for (int[] p : pairs) {
      double[] a = k[p[0]];
      double[] b = k[p[1]];
      double[] c = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
      double n = dot(c, c);
      if (n > bestNorm) {
        bestNorm = n;
        best = c;
      }
    }
    return best;
  }

  private static double margin(double[] delta, double[] u1, double[] u2) {
    return 1e-12 * (dot(delta, delta) + dot(u1, u1) + dot(u2, u2));
  }

  private static Infimum least(List<Infimum> cands) {
    Infimum best = null;
    for (Infimum c : cands) if (!Double.isNaN(c.value()) && (best == null || c.value() < best.value())) best = c;
    return best;
  }
}
