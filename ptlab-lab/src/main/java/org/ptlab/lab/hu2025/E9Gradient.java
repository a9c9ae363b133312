package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.AttentionGradient;
import org.ptlab.theory.hu2025.FastAttentionGradient;
import org.ptlab.theory.hu2025.PolyPlan;
import org.ptlab.theory.hu2025.PolynomialAttention;

/**
 * E9 part (iv): the same transition for the gradient (spec §4.5, checks C1/C2): the almost-linear backward
 * ({@link FastAttentionGradient}, no n×n matrix) against exact autograd through the engine's fused attention (which
 * holds the n×n probabilities). (a) time against n at R ≤ 1, tolerance 1e-6 → both slopes; (b) the sweep of
 * B = c·√ln n at fixed n as in part (iii), with the certified gradient errors (against the exact gradient row by
 * row, bit-reproducible). Loss ℓ = Σ G⊙O with G uniform in [−1, 1].
 */
final class E9Gradient {
  private E9Gradient() {}

  static RunOutput gradient(Rng rng, int n, double[] fractions, int sweepMin, int sweepMax, double maxFastMs,
      int minRuns, double minSeconds) {
    int s = E9Data.S;
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> a = new LinkedHashMap<>();
    // (a) time against n, after the JIT has compiled both paths
    E9Data.Problem w = E9Data.problem(Rng.derive(rng.nextLong(), -1), 512, 0.5);
    double[] gw = E9Data.uniform(rng, 512 * s, -1, 1);
    PolyPlan pw = PolynomialAttention.tolerance(1e-6).plan(w.q(), 512, w.k(), 512, s, w.v(), s, 1.0, null);
    E9Timing.warmUp(minSeconds * 5, () -> exact(w, gw, 1.0),
        () -> FastAttentionGradient.compute(pw, w.q(), 512, w.k(), 512, s, w.v(), s, gw, 1.0, null));
    List<Integer> ns = E9Data.powers(sweepMin, sweepMax);
    double[][] t = new double[3][ns.size()]; // n, fast, exact
    for (int i = 0; i < ns.size(); i++) {
      int nn = ns.get(i);
      E9Data.Problem p = E9Data.problem(Rng.derive(rng.nextLong(), nn), nn, 0.5);
      double[] g = E9Data.uniform(rng, nn * s, -1, 1);
      PolyPlan plan = PolynomialAttention.tolerance(1e-6).plan(p.q(), nn, p.k(), nn, s, p.v(), s, 1.0, null);
      double[] ms = E9Timing.medians(minRuns, minSeconds,
          () -> FastAttentionGradient.compute(plan, p.q(), nn, p.k(), nn, s, p.v(), s, g, 1.0, null),
          () -> exact(p, g, 1.0));
      t[0][i] = nn;
      t[1][i] = ms[0];
      t[2][i] = ms[1];
    }
    m.put("grad_slope_fast", E9Timing.logLogSlope(t[0], t[1]));
    m.put("grad_slope_exact", E9Timing.logLogSlope(t[0], t[2]));
    m.put("grad_slope_fast_large_n", E9Timing.logLogSlope(E9Timing.from(t[0], t[0], 1024),
        E9Timing.from(t[0], t[1], 1024)));
    m.put("grad_crossover_n", E9Timing.crossover(t[0], t[2], t[1]));
    a.put("sweep_n", E9Data.list(t[0]));
    a.put("sweep_fast_ms", E9Data.list(t[1]));
    a.put("sweep_exact_ms", E9Data.list(t[2]));
    // (b) the B sweep
    double logN = Math.log(n);
    double delta = 1.0 / ((double) n * n);
    double[][] c = new double[8][fractions.length]; // c, R, degree, rank, fast, fast predicted, exact, error/bound
    int notRun = 0;
    for (int i = 0; i < fractions.length; i++) {
      E9Data.Problem p = E9Data.problem(Rng.derive(rng.nextLong(), i), n, fractions[i] * Math.sqrt(logN));
      double[] g = E9Data.uniform(rng, n * s, -1, 1);
      double scale = 1.0 / s;
      PolyPlan plan = PolynomialAttention.tolerance(delta).plan(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
      double rank = plan.rank(s);
      c[0][i] = fractions[i];
      c[1][i] = plan.range();
      c[2][i] = plan.degree();
      c[3][i] = rank;
      c[5][i] = 2 * E9Data.COST.fastMs(n, n, rank, s + s + s * s); // two passes of about dv+s+dv·s columns
      if (rank <= PolynomialAttention.MAX_RANK && c[5][i] <= maxFastMs) {
        double[] ms = E9Timing.medians(minRuns, minSeconds,
            () -> FastAttentionGradient.compute(plan, p.q(), n, p.k(), n, s, p.v(), s, g, scale, null),
            () -> exact(p, g, scale));
        c[4][i] = ms[0];
        c[6][i] = ms[1];
        AttentionGradient fast = FastAttentionGradient.compute(plan, p.q(), n, p.k(), n, s, p.v(), s, g, scale, null);
        double[][] ex = FastAttentionGradient.exact(p.q(), n, p.k(), n, s, p.v(), s, g, scale, null);
        c[7][i] = Math.max(E9Data.maxAbsDiff(fast.dq(), ex[0]) / fast.boundDq(), Math.max(
            E9Data.maxAbsDiff(fast.dk(), ex[1]) / fast.boundDk(), E9Data.maxAbsDiff(fast.dv(), ex[2]) / fast.boundDv()));
      } else {
        c[6][i] = E9Timing.medians(minRuns, minSeconds, () -> exact(p, g, scale))[0];
        c[4][i] = Double.NaN;
        c[7][i] = Double.NaN;
        notRun++;
      }
    }
    m.put("grad_fast_wins_at_smallest_B", c[4][0] < c[6][0]);
    m.put("grad_rank_at_threshold", c[3][Math.max(0, E9Transition.indexOf(fractions, 1.0))]);
    m.put("grad_max_error_over_bound", maxFinite(c[7]));
    m.put("grad_not_run", notRun);
    String[] names = {"fraction", "R", "degree", "rank", "fast_ms", "fast_predicted_ms", "exact_ms", "error_over_bound"};
    for (int i = 0; i < names.length; i++) a.put(names[i], E9Data.list(c[i]));
    return new RunOutput(m, a);
  }

  /** Exact dℓ/dQ, dℓ/dK, dℓ/dV by autograd through the engine's fused attention. */
  static double[][] exact(E9Data.Problem p, double[] g, double scale) {
    int n = p.n();
    int s = E9Data.S;
    Tensor q = Tensor.of(p.q().clone(), 1, n, s).requiresGrad(true);
    Tensor k = Tensor.of(p.k().clone(), 1, n, s).requiresGrad(true);
    Tensor v = Tensor.of(p.v().clone(), 1, n, s).requiresGrad(true);
    Tensor.attention(q, k, v, 1, scale, null, false).mul(Tensor.of(g, 1, n, s)).sum().backward();
    return new double[][] {q.grad().toDoubleArray(), k.grad().toDoubleArray(), v.grad().toDoubleArray()};
  }

  static double maxFinite(double[] xs) {
    double m = 0;
    for (double x : xs) if (Double.isFinite(x)) m = Math.max(m, x);
    return m;
  }
}
