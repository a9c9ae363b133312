package org.ptlab.lab;

import java.util.Map;

/**
 * One run as the run store holds it: one row of {@code runs.sqlite}, one row of {@code results/ID.csv}.
 *
 * @param experimentId e.g. "E1"
 * @param configHash SHA-256 (hex) of the config's canonical JSON; with the repeat, the run's identity
 * @param config the grid point
 * @param repeat 0-based repeat index
 * @param seed the run's own seed (see {@link RunContext})
 * @param status {@code running}, {@code done} or {@code error}
 * @param metrics the metrics row (empty unless done)
 * @param artifacts larger outputs such as curves (empty unless done)
 * @param error the error message of a failed run, else null
 * @param startedAt ISO-8601 instant the run started
 * @param endedAt ISO-8601 instant it ended, null while running
 * @param commit git commit of the code that ran it (system property {@code ptlab.commit})
 * @param jvm JVM name and version
 * @param threads the sweep's thread count
 */
public record RunRecord(String experimentId, String configHash, Map<String, Object> config, int repeat, long seed,
    String status, Map<String, Object> metrics, Map<String, Object> artifacts, String error, String startedAt,
    String endedAt, String commit, String jvm, int threads) {

  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String ERROR = "error";

  public boolean done() {
    return DONE.equals(status);
  }

  /** The metric {@code key} as a double, NaN when absent or not a number. */
  public double metric(String key) {
    return metrics.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Wall time of the run in seconds, NaN if unknown. */
  public double seconds() {
    if (startedAt == null || endedAt == null) return Double.NaN;
    try {
      return java.time.Duration.between(java.time.Instant.parse(startedAt), java.time.Instant.parse(endedAt))
          .toNanos() / 1e9;
    } catch (java.time.format.DateTimeParseException e) {
      return Double.NaN;
    }
  }
}
