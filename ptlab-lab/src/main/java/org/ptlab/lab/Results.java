package org.ptlab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The runs of one experiment at one size, in grid order (config by config, repeats in order), which is what
 * {@link Experiment#figures} and {@link Experiment#claims} read. Includes failed runs so a claim can tell
 * "no data" from "bad data"; {@link #done()} filters them.
 */
public record Results(String experimentId, GridSize size, List<RunRecord> runs) {
  public Results {
    runs = List.copyOf(runs);
  }

  /** The runs that completed. */
  public List<RunRecord> done() {
    return runs.stream().filter(RunRecord::done).toList();
  }

  /** Completed runs whose config has {@code key} equal to {@code value} (numbers compare by value). */
  public List<RunRecord> where(String key, Object value) {
    return where(r -> sameValue(r.config().get(key), value));
  }

  /** Completed runs matching {@code test}. */
  public List<RunRecord> where(Predicate<RunRecord> test) {
    return done().stream().filter(test).toList();
  }

  /** Distinct configs in grid order, each with its completed runs. */
  public List<List<RunRecord>> byConfig() {
    List<String> order = new ArrayList<>();
    for (RunRecord r : runs) if (!order.contains(r.configHash())) order.add(r.configHash());
    List<List<RunRecord>> out = new ArrayList<>();
    for (String h : order) out.add(done().stream().filter(r -> r.configHash().equals(h)).toList());
    return out;
  }

  /** The metric {@code key} of each run (NaN where missing). */
  public static double[] metric(List<RunRecord> runs, String key) {
    return runs.stream().mapToDouble(r -> r.metric(key)).toArray();
  }

  /** The median, NaN for no values. */
  public static double median(double[] xs) {
    if (xs.length == 0) return Double.NaN;
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** The mean, NaN for no values. */
  public static double mean(double[] xs) {
    return xs.length == 0 ? Double.NaN : Arrays.stream(xs).sum() / xs.length;
  }

  /** The largest value, NaN for no values (and NaN if any value is NaN: a missing number is never ignored). */
  public static double max(double[] xs) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : xs) {
      if (Double.isNaN(x)) return Double.NaN;
      m = Math.max(m, x);
    }
    return xs.length == 0 ? Double.NaN : m;
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return Objects.equals(a, b);
  }
}
