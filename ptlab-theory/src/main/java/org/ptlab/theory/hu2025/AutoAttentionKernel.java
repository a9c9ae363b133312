package org.ptlab.theory.hu2025;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;

/**
 * The "auto" attention: on each call it plans the polynomial method for every head (O(T·s) work) and takes the
 * fast path only when (1) every head's certified bound ‖T − Att‖_max is within the requested tolerance δ and
 * (2) the {@link CostModel} predicts it cheaper than exact attention; otherwise the engine's exact kernel runs.
 * Causal masks always go exact. The choice, the reason and the bound of every call are a {@link KernelDecision}
 * (listener, {@link #lastDecision()}, log). Shapes as in {@link AttentionKernel}; backward through autograd on
 * either path (the fast path's is {@link FastAttentionGradient}).
 *
 * <p>In the regime of Hu et al. this is the efficiency criterion made operational: small prompt-induced keys and
 * queries (R = o(log n)) give a low degree and a cheap certified fast path; large ones (R ≳ log n, B ≳ √log n)
 * give a rank that makes exact attention the cheaper choice (the polynomial method's own blow-up; SETH rules out
 * every sub-quadratic algorithm there only when the head size is Θ(log n)).
 *
 * <pre>{@code
 * AutoAttentionKernel auto = new AutoAttentionKernel(1e-6, CostModel.DEFAULT);
 * auto.addListener(d -> log.info(d.toString()));
 * Tensor out = auto.attend(q, k, v, heads, scale, mask, false);
 * }</pre>
 */
public final class AutoAttentionKernel extends ObservedAttentionKernel {
  private final double tolerance;
  private final PolynomialAttention method;
  private final CostModel cost;

  /** @param tolerance δ: the largest certified max-norm output error accepted on the fast path */
  public AutoAttentionKernel(double tolerance, CostModel cost) {
    this.method = PolynomialAttention.tolerance(tolerance);
    this.tolerance = tolerance;
    this.cost = cost;
  }

  @Override
  public String name() {
    return "auto";
  }

  /** The tolerance δ. */
  public double tolerance() {
    return tolerance;
  }

  @Override
  public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
    HeadProblems hp = new HeadProblems(q, k, v, heads, attendMask);
    boolean rowKernel = CostModel.rowKernel(q, k, v, hp.tk, hp.s, hp.sv, scale, attendMask, causal);
    double exactMs = hp.problems() * cost.exactMs(hp.tq, hp.tk, hp.s, hp.sv, rowKernel);
    PolynomialAttentionKernel.Summary sum = new PolynomialAttentionKernel.Summary();
    PolyPlan[] plans = new PolyPlan[hp.problems()];
    String exactReason = causal ? "causal mask: the polynomial path is non-causal" : null;
    for (int p = 0; p < plans.length && exactReason == null; p++) {
      try {
        sum.add(plans[p] = hp.plan(method, p, scale), hp, cost);
      } catch (IllegalArgumentException e) { // no degree reaches ε at this R
        double r = PolyPlan.rangeBound(hp.q[p], hp.tq, hp.k[p], hp.tk, hp.s, scale, hp.keep[p / heads]);
        sum.range = Math.max(sum.range, r); // the decision reports the R that failed
        exactReason = "no polynomial degree reaches the tolerance at R = " + r;
      }
    }
    if (exactReason == null && sum.bound > tolerance) {
      exactReason = String.format("certified bound %.3g > tolerance %.3g", sum.bound, tolerance);
    } else if (exactReason == null && sum.rank > PolynomialAttention.MAX_RANK) {
      exactReason = "rank " + (long) sum.rank + " > " + PolynomialAttention.MAX_RANK;
    } else if (exactReason == null && sum.fastMs >= exactMs) {
      exactReason = String.format("predicted %.3g ms >= exact %.3g ms", sum.fastMs, exactMs);
    }
    if (exactReason != null) {
      publish(sum.decision(name(), "exact", exactReason, hp, 0, exactMs));
      return AttentionKernel.EXACT.attend(q, k, v, heads, scale, attendMask, causal);
    }
    PolyResult[] results = new PolyResult[plans.length];
    Tensor out = hp.forward(q, k, v, scale, plans, results);
    int fallback = 0;
    for (PolyResult r : results) fallback += r.fallbackRows();
    publish(sum.decision(name(), "polynomial", String.format("bound %.3g <= tolerance %.3g and predicted %.3g ms < "
        + "exact %.3g ms", sum.bound, tolerance, sum.fastMs, exactMs), hp, fallback, exactMs));
    return out;
  }
}
