package org.ptlab.lab;

import java.util.List;
import java.util.Map;

/**
 * One point of an experiment's grid as a typed value: each experiment declares a small record of its run
 * parameters that implements this, builds its {@link Experiment#grid} from those records, and reads its
 * {@link RunContext} back into one ({@code static Point of(RunContext ctx)}, the only place that reads config keys).
 *
 * <p>{@link #toConfig()} is what the run store hashes (its canonical JSON): the key names and the Java types of the
 * values (an {@code Integer} 4 is {@code 4}, a {@code Double} 4.0 is {@code 4.0}) are the run's identity and seed.
 * Changing either makes a new run and new numbers; {@code GridIdentityTest} pins them.
 *
 * <pre>{@code
 * record Point(int d, double lr) implements GridPoint {
 *   public Map<String, Object> toConfig() { return GridPoint.config("d", d, "lr", lr); }
 *   static Point of(RunContext ctx) { return new Point(ctx.intParam("d"), ctx.doubleParam("lr")); }
 * }
 * }</pre>
 */
public interface GridPoint {
  /** The config map of this point, keys in display order. */
  Map<String, Object> toConfig();

  /** The configs of {@code points}, in order (what {@link Experiment#grid} returns). */
  static List<Map<String, Object>> configs(List<? extends GridPoint> points) {
    return points.stream().map(GridPoint::toConfig).toList();
  }

  /** An insertion-ordered, modifiable config from key, value pairs; a null value leaves its key out. */
  static Map<String, Object> config(Object... keyValues) {
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) c.put((String) keyValues[i], keyValues[i + 1]);
    }
    return c;
  }
}
