package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E2 run's parameters. Config keys: {@code n}, {@code d}, {@code r}, {@code method}, {@code m_p}, {@code rank},
 * {@code lr}, {@code steps}.
 *
 * @param n single-token examples in the dataset
 * @param d token width (d ≥ 2n, so the rank condition of spec §3 holds generically)
 * @param r MLP width (r ≥ n, so the exact rank-n update exists)
 * @param method prompt (trained), lora (rank-{@code rank} LoRA on mlp_out, trained) or exact (ΔW2 = R·H⁺, no training)
 * @param promptLength m_p (prompt only)
 * @param rank LoRA rank (lora only)
 * @param lr Adam's learning rate (null for exact)
 * @param steps full-batch Adam steps (0 for exact)
 */
record E2Point(int n, int d, int r, String method, Integer promptLength, Integer rank, Double lr, int steps)
    implements GridPoint {
  E2Point {
    if (!List.of("prompt", "lora", "exact").contains(method)) {
      throw new IllegalArgumentException("E2: config key 'method' must be prompt, lora or exact, got " + method);
    }
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("n", n, "d", d, "r", r, "method", method, "m_p", promptLength, "rank", rank, "lr", lr,
        "steps", steps);
  }

  static E2Point of(RunContext c) {
    return new E2Point(c.intParam("n"), c.intParam("d"), c.intParam("r"), c.stringParam("method"),
        c.hasParam("m_p") ? c.intParam("m_p") : null, c.hasParam("rank") ? c.intParam("rank") : null,
        c.hasParam("lr") ? c.doubleParam("lr") : null, c.intParam("steps"));
  }
}
