package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E3 run's parameters. Config keys: {@code kind}, {@code lr}, {@code steps}, {@code iterations}.
 *
 * @param kind "non-injective" (X1 ≠ X2, one common target: prompt tuning must fail), "injective" (the control:
 *     targets made by a hidden admissible prompt, so consistent with an injective map) or "inversion" (fixed-point
 *     inversion of every residual branch, no training)
 * @param lr Adam's learning rate (training kinds; null for inversion)
 * @param steps full-batch Adam steps (training kinds; null for inversion)
 * @param iterations fixed-point iterations (inversion only; null otherwise)
 */
record E3Point(String kind, Double lr, Integer steps, Integer iterations) implements GridPoint {
  static final List<String> KINDS = List.of("non-injective", "injective", "inversion");

  E3Point {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("E3: config key 'kind' must be one of " + KINDS + ", got " + kind);
  }

  static E3Point training(String kind, double lr, int steps) {
    return new E3Point(kind, lr, steps, null);
  }

  static E3Point inversion(int iterations) {
    return new E3Point("inversion", null, null, iterations);
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("kind", kind, "lr", lr, "steps", steps, "iterations", iterations);
  }

  static E3Point of(RunContext c) {
    return new E3Point(c.stringParam("kind"), c.hasParam("lr") ? c.doubleParam("lr") : null,
        c.hasParam("steps") ? c.intParam("steps") : null, c.hasParam("iterations") ? c.intParam("iterations") : null);
  }
}
