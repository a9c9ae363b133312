package org.ptlab.theory.hu2025;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;

/**
 * The Alman–Song polynomial method (spec hu2025.md §4.4): softmax attention in time O((nq + nk)·r·dv) with a
 * certified max-norm error, never forming an n×n matrix. Tokens are rows: q [nq, s], k [nk, s], v [nk, dv].
 *
 * <ol>
 *   <li>R = |scale|·max‖q_i‖·max‖k_j‖ (O(n·s)); pick P(t) ≈ e^t with relative error ε_g ≤ ε on [−R, R]
 *       ({@link ExpApprox#choose}: Taylor or Chebyshev, whichever has the lower degree g).
 *   <li>M = U_2ᵀ[V | 1] (r × (dv+1)) with U_2's rows ψ(k_j), and T' = U_1·M with U_1's rows φ(scale·q_i), by
 *       {@link FeatureSums}: O((nq + nk)·r·(dv+1)).
 *   <li>T_i = T'_i[0..dv) / w̃_i with w̃_i = T'_i[dv] = U_1(U_2ᵀ1). Guard: a row with w̃_i ≤ 0, or outside the
 *       bounding box of V's rows widened by the bound, is recomputed exactly ({@link ExactAttention#row}); with
 *       ε_g &lt; 1 this never happens.
 * </ol>
 * Rectangular by construction: the last L queries of a prompt-tuning layer against its L_p + L keys cost
 * O((L + L_p + L)·r·dv) (check A6).
 *
 * <pre>{@code
 * PolyResult res = PolynomialAttention.tolerance(1e-6).attend(q, k, v, 1.0);   // ‖T − Att‖_max ≤ 1e-6
 * res.bound();   // the certificate, ≤ 1e-6
 * }</pre>
 */
public final class PolynomialAttention {
  /** Feature maps are immutable and depend only on (s, g): shared. */
  private static final Map<Long, Monomials> MAPS = new ConcurrentHashMap<>();
  /** Largest rank attempted (memory: about 100·r doubles of scratch per task). */
  public static final int MAX_RANK = 1 << 20;

  private final double eps;
  private final double tolerance;
  private final int degree;
  private final ExpApprox.Series method;

  private PolynomialAttention(double eps, double tolerance, int degree, ExpApprox.Series method) {
    this.eps = eps;
    this.tolerance = tolerance;
    this.degree = degree;
    this.method = method;
  }

  /** Target relative error ε of the kernel entries, 0 &lt; ε &lt; 1. */
  public static PolynomialAttention relativeError(double eps) {
    if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("relativeError: eps must be in (0, 1), got " + eps);
    return new PolynomialAttention(eps, Double.NaN, -1, null);
  }

  /** Target max-norm output error δ: ε = δ/(2‖V‖_max + δ), so the certificate is ≤ δ. */
  public static PolynomialAttention tolerance(double delta) {
    if (!(delta > 0)) throw new IllegalArgumentException("tolerance: delta must be > 0, got " + delta);
    return new PolynomialAttention(Double.NaN, delta, -1, null);
  }

  /** A fixed degree and method, whatever the error (for error-vs-degree sweeps; the certificate may be +∞). */
  public static PolynomialAttention fixedDegree(int g, ExpApprox.Series method) {
    if (g < 0) throw new IllegalArgumentException("fixedDegree: g must be >= 0, got " + g);
    return new PolynomialAttention(Double.NaN, Double.NaN, g, method);
  }

  /** The plan for exponent range R and ‖V‖_max, O(g²) work. */
  public PolyPlan plan(double range, double vMax) {
    if (degree >= 0) {
      ExpApprox a = method == ExpApprox.Series.CHEBYSHEV ? ExpApprox.chebyshev(degree, range)
          : ExpApprox.taylor(degree, range);
      return new PolyPlan(range, a.relError(), a, vMax);
    }
    double e = Double.isNaN(eps) ? PolyPlan.epsForTolerance(tolerance, vMax) : eps;
    return new PolyPlan(range, e, ExpApprox.choose(range, e), vMax);
  }

  /** The plan of one problem: R from the rows of q and the kept rows of k; O((nq + nk)·(s + dv)). */
  public PolyPlan plan(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double scale, boolean[] keep) {
    return plan(PolyPlan.rangeBound(q, nq, k, nk, s, scale, keep), PolyPlan.maxAbs(v, nk, dv, keep));
  }

  /** Attention of q [nq, s] over k [nk, s], v [nk, dv] (2-D tensors of any dtype; computed in float64). */
  public PolyResult attend(Tensor q, Tensor k, Tensor v, double scale) {
    int s = q.dim(1);
    return attend(q.toDoubleArray(), q.dim(0), k.toDoubleArray(), k.dim(0), s, v.toDoubleArray(), v.dim(1), scale,
        null);
  }

  /**
   * Attention on raw row-major arrays.
   *
   * @param keep [nk] true where key j may be attended, or null for all
   */
  public PolyResult attend(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double scale,
      boolean[] keep) {
    ValueBox box = ValueBox.of(v, nk, dv, keep);
    PolyPlan plan = plan(PolyPlan.rangeBound(q, nq, k, nk, s, scale, keep), box.vMax());
    return run(plan, box, q, nq, k, nk, s, v, dv, scale, keep);
  }

  /** Steps 2–3 for a given plan (callers that decided the plan themselves, e.g. the auto kernel). */
  static PolyResult run(PolyPlan plan, double[] q, int nq, double[] k, int nk, int s, double[] v, int dv,
      double scale, boolean[] keep) {
    return run(plan, ValueBox.of(v, nk, dv, keep), q, nq, k, nk, s, v, dv, scale, keep);
  }

  private static PolyResult run(PolyPlan plan, ValueBox box, double[] q, int nq, double[] k, int nk, int s,
      double[] v, int dv, double scale, boolean[] keep) {
    Monomials mono = featureMap(s, plan.degree());
    double[] w = mono.weights(plan.approx().coeffs());
    int cy = dv + 1;
    double[] m = FeatureSums.accumulate(mono, w, k, nk, 1.0, v, dv, true, keep); // U_2ᵀ[V | 1]  [r, dv+1]
    double[] t = FeatureSums.evaluate(mono, q, nq, scale, m, cy); // U_1·M  [nq, dv+1]
    double[] out = new double[nq * dv];
    double[] den = new double[nq];
    Guard guard = new Guard(box, plan.bound());
    // rows are independent: tasks of FeatureSums.CHUNK rows, so the bits and the count never depend on threads
    int tasks = Math.max(1, (nq + FeatureSums.CHUNK - 1) / FeatureSums.CHUNK);
    int[] fallbacks = new int[tasks];
    Parallel.defaults().forEach(tasks, task -> {
      for (int i = task * FeatureSums.CHUNK; i < Math.min(nq, (task + 1) * FeatureSums.CHUNK); i++) {
        den[i] = t[i * cy + dv];
        if (!guard.accept(t, i * cy, den[i], out, i * dv)) { // this row exactly, O(nk·(s+dv))
          ExactAttention.row(q, i * s, k, nk, s, v, dv, scale, keep, out, i * dv);
          fallbacks[task]++;
        }
      }
    });
    int fallback = 0;
    for (int f : fallbacks) fallback += f;
    return new PolyResult(out, den, nq, dv, plan, mono.rank(), fallback);
  }

  /**
   * The per-row guard: w̃_i must be positive and finite, and T_i = T'_i/w̃_i must lie in the bounding box of the
   * kept rows of V widened by the certified bound (exact attention is a convex combination of those rows, so a
   * certified result always passes). A row that fails is recomputed exactly. With ε_g &lt; 1 neither test ever
   * fires; they catch uncertified settings (a fixed low degree, a wrong R), where w̃_i can be ≤ 0 or tiny.
   */
  static final class Guard {
    private final double[] lo;
    private final double[] hi;
    private final double slack;

    Guard(double[] v, int nk, int dv, boolean[] keep, double bound) {
      this(ValueBox.of(v, nk, dv, keep), bound);
    }

    Guard(ValueBox box, double bound) {
      lo = box.lo();
      hi = box.hi();
      slack = (Double.isFinite(bound) ? bound : 0) + 1e-12 * box.vMax(); // 1e-12: float64 rounding of the sums
    }

    /** Writes T_i = t[off..+dv)/w into out[outOff..) and says whether the row passes. */
    boolean accept(double[] t, int off, double w, double[] out, int outOff) {
      if (!(w > 0 && Double.isFinite(w))) return false;
      for (int c = 0; c < lo.length; c++) {
        double x = t[off + c] / w;
        if (!(x >= lo[c] - slack && x <= hi[c] + slack)) return false;
        out[outOff + c] = x;
      }
      return true;
    }
  }

  /** The shared feature map of (s, g); throws when its rank exceeds {@link #MAX_RANK}. */
  static Monomials featureMap(int s, int g) {
    double r = Monomials.binomial(s + g, g);
    if (r > MAX_RANK) {
      throw new IllegalStateException("polynomial attention: rank C(" + (s + g) + ", " + g + ") = " + (long) r
          + " features exceeds " + MAX_RANK + " (the exponent range is too large for the fast path)");
    }
    return MAPS.computeIfAbsent(((long) s << 32) | g, key -> new Monomials(s, g));
  }

  @Override
  public String toString() {
    if (degree >= 0) return "PolynomialAttention[degree=" + degree + ", " + method + "]";
    return Double.isNaN(eps) ? "PolynomialAttention[tolerance=" + tolerance + "]" : "PolynomialAttention[eps=" + eps + "]";
  }
}
