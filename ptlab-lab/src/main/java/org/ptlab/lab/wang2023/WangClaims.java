package org.ptlab.lab.wang2023;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * Measurement helpers shared by the claims of E1–E5: the min or max of a metric over selected completed runs. A
 * selection without runs throws {@link Claim#noData}, so its claim is {@code skipped}, never dropped.
 */
final class WangClaims {
  private WangClaims() {}

  /** Selected completed runs. */
  static List<RunRecord> select(Results results, Predicate<RunRecord> which) {
    return results.done().stream().filter(which).toList();
  }

  /** min over the selected runs of {@code metric}. */
  static double min(Results results, Predicate<RunRecord> which, String metric) {
    return Arrays.stream(values(results, which, metric)).min().orElseThrow();
  }

  /** max over the selected runs of {@code metric}. */
  static double max(Results results, Predicate<RunRecord> which, String metric) {
    return Arrays.stream(values(results, which, metric)).max().orElseThrow();
  }

  /**
   * A bound that every run computes alike (a certificate on a fixed construction): the max over the selected runs,
   * NaN without runs (the claim is then skipped by its measurement).
   */
  static double bound(Results results, Predicate<RunRecord> which, String metric) {
    List<RunRecord> runs = select(results, which);
    return runs.isEmpty() ? Double.NaN : Results.max(Results.metric(runs, metric));
  }

  private static double[] values(Results results, Predicate<RunRecord> which, String metric) {
    List<RunRecord> runs = select(results, which);
    if (runs.isEmpty()) throw Claim.noData("no completed run for this claim in this grid");
    return Results.metric(runs, metric);
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
