package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.function.Predicate;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * Claim helpers shared by E1–E5: "the min (or max) over the selected completed runs of a metric, against a bound
 * that is itself a metric of those runs (the certificate, computed in the run)". A selection without runs gives a
 * {@code skipped} claim, never a dropped one.
 */
final class WangClaims {
  private WangClaims() {}

  /** Selected completed runs. */
  static List<RunRecord> select(Results results, Predicate<RunRecord> which) {
    return results.done().stream().filter(which).toList();
  }

  /** min over runs of {@code metric} {@code relation} the bound (the bound metric's max over the same runs). */
  static ClaimResult minVsBound(Results results, Predicate<RunRecord> which, String metric, String boundMetric,
      String name, String desc, String relation, double tolerance) {
    return ClaimResult.guarded(name, desc, () -> {
      List<RunRecord> runs = select(results, which);
      if (runs.isEmpty()) return ClaimResult.skipped(name, desc, relation, Double.NaN, "no completed run for it");
      double m = Results.metric(runs, metric).length == 0 ? Double.NaN
          : java.util.Arrays.stream(Results.metric(runs, metric)).min().orElse(Double.NaN);
      double b = Results.max(Results.metric(runs, boundMetric));
      return ClaimResult.check(name, desc, m, relation, b, tolerance);
    });
  }

  /** max over runs of {@code metric} {@code relation} a fixed bound. */
  static ClaimResult maxVsConstant(Results results, Predicate<RunRecord> which, String metric, String name,
      String desc, String relation, double bound, double tolerance) {
    return ClaimResult.guarded(name, desc, () -> {
      List<RunRecord> runs = select(results, which);
      if (runs.isEmpty()) return ClaimResult.skipped(name, desc, relation, bound, "no completed run for it");
      return ClaimResult.check(name, desc, Results.max(Results.metric(runs, metric)), relation, bound, tolerance);
    });
  }

  /** min over runs of {@code metric} {@code relation} a fixed bound. */
  static ClaimResult minVsConstant(Results results, Predicate<RunRecord> which, String metric, String name,
      String desc, String relation, double bound, double tolerance) {
    return ClaimResult.guarded(name, desc, () -> {
      List<RunRecord> runs = select(results, which);
      if (runs.isEmpty()) return ClaimResult.skipped(name, desc, relation, bound, "no completed run for it");
      double m = java.util.Arrays.stream(Results.metric(runs, metric)).min().orElse(Double.NaN);
      return ClaimResult.check(name, desc, m, relation, bound, tolerance);
    });
  }

  /** A predicate on a config value. */
  static Predicate<RunRecord> is(String key, Object value) {
    return r -> value.equals(r.config().get(key));
  }

  /** Numbers of an artifact list (empty when absent). */
  static double[] numbers(Object list) {
    if (!(list instanceof List<?> l)) return new double[0];
    return l.stream().mapToDouble(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
  }
}
