package org.ptlab.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run returns: a row of metrics (scalars and short strings, the columns of {@code results/ID.csv}) and
 * optional artifacts (larger values such as a loss curve, kept in the JSON export and the run store only).
 * Values must be JSON-able: numbers, strings, booleans, lists and maps of those.
 */
public record RunOutput(Map<String, Object> metrics, Map<String, Object> artifacts) {
  public RunOutput {
    // unmodifiable views of copies, not Map.copyOf: the experiment's column order is kept
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    artifacts = Collections.unmodifiableMap(artifacts == null ? new LinkedHashMap<>() : new LinkedHashMap<>(artifacts));
  }

  /** A row with no artifacts. */
  public static RunOutput of(Map<String, Object> metrics) {
    return new RunOutput(metrics, Map.of());
  }
}
