package org.ptlab.lab.wang2023;

import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E1 run's parameters. Config keys: {@code method}, {@code m_p}, {@code init_scale}, {@code rank}, {@code lr},
 * {@code steps} (absent keys are null here).
 *
 * @param method prompt (train a soft prompt), exact (the closed-form ΔW2, no training), lora (rank-{@code rank} LoRA on
 *     mlp_out, trained) or full (every weight, trained)
 * @param promptLength m_p (prompt only)
 * @param initScale the prompt starts uniform in [−s, s] (prompt only)
 * @param rank LoRA rank (exact: the expected rank, for the record; lora)
 * @param lr Adam's learning rate (null for exact)
 * @param steps full-batch Adam steps (0 for exact)
 */
record E1Point(String method, Integer promptLength, Double initScale, Integer rank, Double lr, int steps)
    implements GridPoint {

  E1Point {
    if (!java.util.List.of("prompt", "exact", "lora", "full").contains(method)) {
      throw new IllegalArgumentException("E1: config key 'method' must be prompt, exact, lora or full, got " + method);
    }
  }

  static E1Point prompt(int promptLength, double initScale, double lr, int steps) {
    return new E1Point("prompt", promptLength, initScale, null, lr, steps);
  }

  static E1Point exact() {
    return new E1Point("exact", null, null, 2, null, 0);
  }

  static E1Point lora(int rank, double lr, int steps) {
    return new E1Point("lora", null, null, rank, lr, steps);
  }

  static E1Point full(double lr, int steps) {
    return new E1Point("full", null, null, null, lr, steps);
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("method", method, "m_p", promptLength, "init_scale", initScale, "rank", rank, "lr", lr,
        "steps", steps);
  }

  static E1Point of(RunContext c) {
    return new E1Point(c.stringParam("method"), c.hasParam("m_p") ? c.intParam("m_p") : null,
        c.hasParam("init_scale") ? c.doubleParam("init_scale") : null, c.hasParam("rank") ? c.intParam("rank") : null,
        c.hasParam("lr") ? c.doubleParam("lr") : null, c.intParam("steps"));
  }
}
