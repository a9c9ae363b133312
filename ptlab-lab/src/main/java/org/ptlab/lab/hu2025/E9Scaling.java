package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.ExactAttention;
import org.ptlab.theory.hu2025.PolyResult;
import org.ptlab.theory.hu2025.PolynomialAttention;

/**
 * E9 part (ii): time against n on log-log axes (spec check A4). s = 4, Q and K uniform in [−½, ½] (R ≤ 1), certified
 * max-norm error ≤ 1e-6 (measured on {@link #SAMPLED_ROWS} rows). Exact attention is the engine's fused kernel
 * over blocks of query rows; beyond {@code exactMax} it is not run and its time is predicted as the largest
 * measured one times (n/n_max)².
 */
final class E9Scaling {
  static final double TOLERANCE = 1e-6;
  /** Rows whose error is measured (exactly, row by row): all up to 1024, then 1024 evenly spread. */
  static final int SAMPLED_ROWS = 1024;
  /** Smallest n of the asymptotic slope fits (below it fixed per-call costs dominate both kernels). */
  static final int ASYMPTOTIC_N = 2048;

  private E9Scaling() {}

  static RunOutput timeVsN(Rng rng, int nMin, int nMax, int exactMax, int minRuns, double minSeconds) {
    int s = E9Data.S;
    List<Integer> ns = E9Data.powers(nMin, nMax);
    int count = ns.size();
    double[][] c = new double[9][count]; // n, exact, exact predicted, fast, degree, rank, error, bound, R
    PolynomialAttention method = PolynomialAttention.tolerance(TOLERANCE);
    double lastN = Double.NaN;
    double lastExact = Double.NaN;
    double worstRatio = 0;
    int notRun = 0;
    warmUp(rng, minSeconds * 5, method);
    for (int i = 0; i < count; i++) {
      int n = ns.get(i);
      E9Data.Problem p = E9Data.problem(Rng.derive(rng.nextLong(), n), n, 0.5);
      Tensor qt = Tensor.of(p.q(), n, s);
      Tensor kt = Tensor.of(p.k(), n, s);
      Tensor vt = Tensor.of(p.v(), n, s);
      int blk = ExactAttention.defaultBlockRows(n);
      Runnable fast = () -> method.attend(p.q(), n, p.k(), n, s, p.v(), s, 1.0, null);
      PolyResult res = method.attend(p.q(), n, p.k(), n, s, p.v(), s, 1.0, null);
      c[0][i] = n;
      c[4][i] = res.degree();
      c[5][i] = res.rank();
      c[7][i] = res.bound();
      c[8][i] = res.plan().range();
      if (n <= exactMax) {
        double[] t = E9Timing.medians(minRuns, minSeconds, () -> ExactAttention.blocked(qt, kt, vt, 1.0, blk), fast);
        c[1][i] = t[0];
        c[2][i] = t[0];
        c[3][i] = t[1];
        c[6][i] = E9Data.sampledMaxError(res.out(), p, 1.0, SAMPLED_ROWS);
        worstRatio = Math.max(worstRatio, c[6][i] / c[7][i]);
        lastN = n;
        lastExact = t[0];
      } else { // not run: predicted from the largest measured exact time, O(n²)
        c[3][i] = E9Timing.medians(minRuns, minSeconds, fast)[0];
        c[1][i] = Double.NaN;
        c[2][i] = lastExact * (n / lastN) * (n / lastN);
        c[6][i] = Double.NaN;
        notRun++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    double[] measuredExact = c[1];
    m.put("slope_exact", E9Timing.logLogSlope(c[0], measuredExact));
    m.put("slope_fast", E9Timing.logLogSlope(c[0], c[3]));
    // per-call overheads flatten the small-n end; the asymptotic slopes are read off n >= ASYMPTOTIC_N
    m.put("slope_exact_large_n", E9Timing.logLogSlope(E9Timing.from(c[0], c[0], ASYMPTOTIC_N),
        E9Timing.from(c[0], measuredExact, ASYMPTOTIC_N)));
    m.put("slope_fast_large_n", E9Timing.logLogSlope(E9Timing.from(c[0], c[0], ASYMPTOTIC_N),
        E9Timing.from(c[0], c[3], ASYMPTOTIC_N)));
    m.put("crossover_n", E9Timing.crossover(c[0], measuredExact, c[3]));
    m.put("largest_exact_n", lastN);
    m.put("speedup_at_largest_exact", lastExact / c[3][ns.indexOf((int) lastN)]);
    m.put("speedup_at_largest_n", c[2][count - 1] / c[3][count - 1]);
    m.put("max_error_over_bound", worstRatio);
    m.put("exact_not_run", notRun);
    Map<String, Object> a = new LinkedHashMap<>();
    String[] names = {"n", "exact_ms", "exact_predicted_ms", "fast_ms", "degree", "rank", "max_error", "bound", "R"};
    for (int i = 0; i < names.length; i++) a.put(names[i], E9Data.list(c[i]));
    return new RunOutput(m, a);
  }

  /** Both paths at n = 512 (one task) and 4096 (two tasks) until the JIT has compiled them. */
  static void warmUp(Rng rng, double seconds, PolynomialAttention method) {
    for (int n : new int[] {512, 4096}) {
      E9Data.Problem p = E9Data.problem(Rng.derive(rng.nextLong(), -n), n, 0.5);
      Tensor qt = Tensor.of(p.q(), n, E9Data.S);
      E9Timing.warmUp(seconds / 2, () -> ExactAttention.blocked(qt, qt, qt, 1.0, ExactAttention.defaultBlockRows(n)),
          () -> method.attend(p.q(), n, p.q(), n, E9Data.S, p.v(), E9Data.S, 1.0, null));
    }
  }
}
