package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.ExactAttention;
import org.ptlab.theory.hu2025.ExpApprox;
import org.ptlab.theory.hu2025.PolyPlan;
import org.ptlab.theory.hu2025.PolyResult;
import org.ptlab.theory.hu2025.PolynomialAttention;

/**
 * E9 part (iii): the phase transition of Hu et al. (spec §4.2–4.4) at fixed n. Entries of Q and K uniform in
 * [−B, B] with B = c·√ln n, Alman–Song's normalization exp(QKᵀ/s), so R ≈ B² = c²·ln n and the threshold B = √ln n
 * sits at c = 1. The target is δ_F = n⁻² (1/poly(n)). For each c: degree g, rank r = C(s+g, g), r/n, the cost
 * model's prediction, and measured times and error where the fast path fits {@code maxFastMs}; beyond, "not run"
 * with the predicted cost. Above R ≈ 8 float64 rounding, not the degree, limits the certificate (see
 * {@link ExpApprox}): the degree shown is then the truncation degree and the bound column says what is certified.
 */
final class E9Transition {
  private E9Transition() {}

  static RunOutput phaseTransition(Rng rng, int n, double[] fractions, double maxFastMs, int minRuns,
      double minSeconds) {
    int s = E9Data.S;
    double logN = Math.log(n);
    double delta = 1.0 / ((double) n * n);
    int count = fractions.length;
    double[][] c = new double[12][count]; // c, B, R, g, taylor g, r, r/n, fast, fast predicted, exact, error, bound
    String[] status = new String[count];
    int notRun = 0;
    double firstNotCheaper = Double.NaN;
    for (int i = 0; i < count; i++) {
      double b = fractions[i] * Math.sqrt(logN);
      E9Data.Problem p = E9Data.problem(Rng.derive(rng.nextLong(), i), n, b);
      double scale = 1.0 / s;
      PolynomialAttention method = PolynomialAttention.tolerance(delta);
      PolyPlan plan = method.plan(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
      double rank = plan.rank(s);
      c[0][i] = fractions[i];
      c[1][i] = b;
      c[2][i] = plan.range();
      c[3][i] = plan.degree();
      c[4][i] = ExpApprox.taylorDegree(plan.range(), plan.eps());
      c[5][i] = rank;
      c[6][i] = rank / n;
      c[8][i] = E9Data.COST.fastMs(n, n, rank, s);
      c[11][i] = plan.bound();
      Tensor qt = Tensor.of(p.q(), n, s);
      Tensor kt = Tensor.of(p.k(), n, s);
      Tensor vt = Tensor.of(p.v(), n, s);
      int blk = ExactAttention.defaultBlockRows(n);
      Runnable exact = () -> ExactAttention.blocked(qt, kt, vt, scale, blk);
      if (rank <= PolynomialAttention.MAX_RANK && c[8][i] <= maxFastMs) {
        Runnable fast = () -> PolynomialAttention.tolerance(delta).attend(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
        double[] t = E9Timing.medians(minRuns, minSeconds, exact, fast);
        c[9][i] = t[0];
        c[7][i] = t[1];
        PolyResult res = method.attend(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
        c[10][i] = E9Data.sampledMaxError(res.out(), p, scale, E9Scaling.SAMPLED_ROWS);
        status[i] = "run";
      } else {
        c[9][i] = E9Timing.medians(minRuns, minSeconds, exact)[0];
        c[7][i] = Double.NaN;
        c[10][i] = Double.NaN;
        status[i] = "not run: predicted " + String.format("%.3g", c[8][i]) + " ms, rank " + (long) rank;
        notRun++;
      }
      double fastOrPredicted = Double.isNaN(c[7][i]) ? c[8][i] : c[7][i];
      if (Double.isNaN(firstNotCheaper) && fastOrPredicted >= c[9][i]) firstNotCheaper = fractions[i];
    }
    Map<String, Object> m = new LinkedHashMap<>();
    int atOne = indexOf(fractions, 1.0);
    m.put("log_n", logN);
    m.put("degree_at_threshold", atOne < 0 ? Double.NaN : c[3][atOne]);
    m.put("rank_over_n_at_threshold", atOne < 0 ? Double.NaN : c[6][atOne]);
    m.put("first_fraction_not_cheaper", firstNotCheaper);
    m.put("fast_over_exact_at_threshold", atOne < 0 ? Double.NaN
        : (Double.isNaN(c[7][atOne]) ? c[8][atOne] : c[7][atOne]) / c[9][atOne]);
    m.put("fast_wins_at_smallest_B", c[7][0] < c[9][0]);
    m.put("degree_nondecreasing", nondecreasing(c[3]));
    m.put("max_error_over_bound", maxRatio(c[10], c[11]));
    m.put("not_run", notRun);
    Map<String, Object> a = new LinkedHashMap<>();
    String[] names = {"fraction", "B", "R", "degree", "taylor_degree", "rank", "rank_over_n", "fast_ms",
        "fast_predicted_ms", "exact_ms", "max_error", "bound"};
    for (int i = 0; i < names.length; i++) a.put(names[i], E9Data.list(c[i]));
    a.put("status", java.util.Arrays.asList(status));
    return new RunOutput(m, a);
  }

  static int indexOf(double[] xs, double x) {
    for (int i = 0; i < xs.length; i++) if (xs[i] == x) return i;
    return -1;
  }

  static boolean nondecreasing(double[] xs) {
    for (int i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) return false;
    return true;
  }

  /** max a_i / b_i over the entries where both are finite (0 if none). */
  static double maxRatio(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      if (Double.isFinite(a[i]) && Double.isFinite(b[i])) worst = Math.max(worst, a[i] / b[i]);
    }
    return worst;
  }
}
