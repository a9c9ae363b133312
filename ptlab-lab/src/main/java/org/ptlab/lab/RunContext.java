package org.ptlab.lab;

import java.util.Map;
import org.ptlab.tensor.random.Rng;

/**
 * Everything one run may depend on: its config, which repeat it is, and two seeds. The runner derives both seeds
 * from the experiment id, the config hash and the repeat (never from time or scheduling), so a run computes the
 * same numbers whichever thread runs it and whenever.
 *
 * @param experimentId e.g. "E1"
 * @param config the grid point, as parsed back from its canonical JSON (integers are {@code Integer} or
 *     {@code Long}, reals {@code Double})
 * @param repeat 0-based repeat index
 * @param seed this run's own seed: initialisation, minibatch order
 * @param taskSeed shared by every config of the same repeat: use it for what all methods must see alike (data,
 *     frozen weights, a teacher), so that methods are compared on the same task
 */
public record RunContext(String experimentId, Map<String, Object> config, int repeat, long seed, long taskSeed) {
  public RunContext {
    config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
  }

  /** A fresh generator on this run's seed. */
  public Rng rng() {
    return new Rng(seed);
  }

  /** A fresh generator on the seed shared by every config of this repeat. */
  public Rng taskRng() {
    return new Rng(taskSeed);
  }

  /** The config value {@code key} as an int; a missing or non-integer value names the key. */
  public int intParam(String key) {
    Object v = required(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
    throw new IllegalArgumentException(experimentId + ": config key '" + key + "' must be an integer, got " + v);
  }

  /** The config value {@code key} as a double. */
  public double doubleParam(String key) {
    Object v = required(key);
    if (v instanceof Number n) return n.doubleValue();
    throw new IllegalArgumentException(experimentId + ": config key '" + key + "' must be a number, got " + v);
  }

  /** The config value {@code key}, a comma-separated list of numbers such as "0.25,0.5,1", as doubles. */
  public double[] doublesParam(String key) {
    String s = stringParam(key);
    try {
      return java.util.Arrays.stream(s.split(",")).mapToDouble(v -> Double.parseDouble(v.strip())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(experimentId + ": config key '" + key + "' must be comma-separated numbers, "
          + "got " + s);
    }
  }

  /** Whether the config has {@code key} (for keys only some grid points carry). */
  public boolean hasParam(String key) {
    return config.get(key) != null;
  }

  /** The config value {@code key} as a string. */
  public String stringParam(String key) {
    return String.valueOf(required(key));
  }

  private Object required(String key) {
    Object v = config.get(key);
    if (v == null) throw new IllegalArgumentException(experimentId + ": config has no key '" + key + "'");
    return v;
  }
}
