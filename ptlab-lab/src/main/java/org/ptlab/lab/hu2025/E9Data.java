package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.CostModel;
import org.ptlab.theory.hu2025.ExactAttention;

/**
 * E9's seeded problems and small helpers. Tokens are rows: q [nq, s], k [n, s], v [n, s], float64, entries of Q
 * and K uniform in [−h, h] and of V in [0, 1] (‖V‖_max ≤ 1, so a max-norm tolerance δ is also a relative one).
 */
final class E9Data {
  /** Head size of every E9 problem: small and fixed, as spec §4.6 says the scaling must be shown. */
  static final int S = 4;
  /** The cost model used for "not run" predictions. */
  static final CostModel COST = CostModel.DEFAULT;

  private E9Data() {}

  /** One attention problem with n keys, all n rows as queries. */
  record Problem(double[] q, double[] k, double[] v, int n) {}

  static Problem problem(Rng rng, int n, double half) {
    return new Problem(uniform(rng, n * S, -half, half), uniform(rng, n * S, -half, half), uniform(rng, n * S, 0, 1), n);
  }

  static double[] uniform(Rng rng, int count, double lo, double hi) {
    double[] a = new double[count];
    for (int i = 0; i < count; i++) a[i] = lo + (hi - lo) * rng.nextDouble();
    return a;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double e = 0;
    for (int i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
    return e;
  }

  /**
   * max |T − Att| over {@code samples} query rows evenly spread over the n rows (all rows when n ≤ samples), exact
   * rows by {@link ExactAttention#row}: deterministic (scalar exp), unlike the engine's vectorized exp, whose
   * interpreted and compiled forms differ in the last bit.
   */
  static double sampledMaxError(double[] out, Problem p, double scale, int samples) {
    int n = p.n();
    int step = Math.max(1, n / samples);
    double[] row = new double[S];
    double e = 0;
    for (int i = 0; i < n; i += step) {
      ExactAttention.row(p.q(), i * S, p.k(), n, S, p.v(), S, scale, null, row, 0);
      for (int c = 0; c < S; c++) e = Math.max(e, Math.abs(out[i * S + c] - row[c]));
    }
    return e;
  }

  /** Powers of two from lo to hi inclusive. */
  static List<Integer> powers(int lo, int hi) {
    List<Integer> out = new ArrayList<>();
    for (int n = lo; n <= hi; n *= 2) out.add(n);
    return out;
  }

  /** A list for artifacts: NaN and ±∞ become null (JSON has no NaN). */
  static List<Double> list(double[] xs) {
    List<Double> out = new ArrayList<>();
    for (double x : xs) out.add(Double.isFinite(x) ? x : null);
    return out;
  }
}
