package org.ptlab.theory.hu2025;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;

/**
 * The polynomial-method attention as an {@link AttentionKernel} named "polynomial": every head runs
 * {@link PolynomialAttention} (forward) and {@link FastAttentionGradient} (backward, through autograd), with the
 * method's target (ε or tolerance δ). Shapes as in {@link AttentionKernel}: q [B, Tq, H·s], k [B, Tk, H·s],
 * v [B, Tk, H·sv] → [B, Tq, H·sv]; computed in float64 whatever the input dtype, returned in the input dtype.
 *
 * <p>Three cases run the engine's exact kernel instead, each reported in the {@link KernelDecision}: a causal mask
 * (the polynomial path sums over all visible keys at once; prompt tuning of encoders needs no causal mask), a
 * rank above {@link PolynomialAttention#MAX_RANK}, and no degree ≤ {@link ExpApprox#MAX_DEGREE} reaching the target
 * (both: R too large, the method has nothing to offer there). It does not
 * compare costs or check the bound against a tolerance: that is {@link AutoAttentionKernel}.
 *
 * <pre>{@code
 * PolynomialAttentionKernel kernel = PolynomialAttentionKernel.tolerance(1e-6);
 * Tensor out = kernel.attend(q, k, v, 1, 1.0, null, false);
 * kernel.lastDecision().bound();   // the certified max-norm error, ≤ 1e-6
 * }</pre>
 */
public final class PolynomialAttentionKernel extends ObservedAttentionKernel {
  private final PolynomialAttention method;
  private final CostModel cost;

  public PolynomialAttentionKernel(PolynomialAttention method, CostModel cost) {
    this.method = method;
    this.cost = cost;
  }

  /** Certified max-norm output error ≤ δ per head, default cost model (used for reporting only). */
  public static PolynomialAttentionKernel tolerance(double delta) {
    return new PolynomialAttentionKernel(PolynomialAttention.tolerance(delta), CostModel.DEFAULT);
  }

  @Override
  public String name() {
    return "polynomial";
  }

  @Override
  public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
    HeadProblems hp = new HeadProblems(q, k, v, heads, attendMask);
    boolean rowKernel = CostModel.rowKernel(q, k, v, hp.tk, hp.s, hp.sv, scale, attendMask, causal);
    double exactMs = hp.problems() * cost.exactMs(hp.tq, hp.tk, hp.s, hp.sv, rowKernel);
    if (causal) {
      publish(new KernelDecision(name(), "exact", "causal mask: the polynomial path is non-causal", hp.problems(),
          hp.tq, hp.tk, Double.NaN, -1, 0, 0, 0, Double.NaN, exactMs));
      return AttentionKernel.EXACT.attend(q, k, v, heads, scale, attendMask, true);
    }
    PolyPlan[] plans = new PolyPlan[hp.problems()];
    Summary sum = new Summary();
    for (int p = 0; p < plans.length; p++) {
      try {
        sum.add(plans[p] = hp.plan(method, p, scale), hp, cost);
      } catch (IllegalArgumentException e) { // no degree reaches the target at this R
        double r = PolyPlan.rangeBound(hp.q[p], hp.tq, hp.k[p], hp.tk, hp.s, scale, hp.keep[p / heads]);
        sum.range = Math.max(sum.range, r);
        publish(sum.decision(name(), "exact", "no polynomial degree reaches the target at R = " + r, hp, 0, exactMs));
        return AttentionKernel.EXACT.attend(q, k, v, heads, scale, attendMask, false);
      }
    }
    if (sum.rank > PolynomialAttention.MAX_RANK) {
      publish(sum.decision(name(), "exact", "rank " + (long) sum.rank + " > " + PolynomialAttention.MAX_RANK, hp,
          0, exactMs));
      return AttentionKernel.EXACT.attend(q, k, v, heads, scale, attendMask, false);
    }
    PolyResult[] results = new PolyResult[plans.length];
    Tensor out = hp.forward(q, k, v, scale, plans, results);
    int fallback = 0;
    for (PolyResult r : results) fallback += r.fallbackRows();
    publish(sum.decision(name(), "polynomial", "requested", hp, fallback, exactMs));
    return out;
  }

  /** Max R, g, r and bound over the heads of a call, and the summed predicted fast time. */
  static final class Summary {
    double range;
    int degree = -1;
    double rank;
    double bound;
    double fastMs;

    void add(PolyPlan plan, HeadProblems hp, CostModel cost) {
      range = Math.max(range, plan.range());
      degree = Math.max(degree, plan.degree());
      double r = plan.rank(hp.s);
      rank = Math.max(rank, r);
      bound = Math.max(bound, plan.bound());
      fastMs += cost.fastMs(hp.tq, hp.tk, r, hp.sv);
    }

    KernelDecision decision(String kernel, String path, String reason, HeadProblems hp, int fallback, double exactMs) {
      return new KernelDecision(kernel, path, reason, hp.problems(), hp.tq, hp.tk, range, degree, (long) rank,
          path.equals("exact") ? 0 : bound, fallback, fastMs, exactMs);
    }
  }
}
