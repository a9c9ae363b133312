package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E4 run's parameters. Config keys: {@code model}, {@code radius}, {@code m}.
 *
 * @param model "paper" (the one-layer paper preset, d = 6, r = 12) or "deep" (three causal blocks of it)
 * @param radius D: every input and prompt token has ‖x_j‖ ≤ D
 * @param seqLen m, the number of input tokens (a prompt of {@link E4LipschitzExperiment#PROMPT} rows is prepended)
 */
record E4Point(String model, double radius, int seqLen) implements GridPoint {
  E4Point {
    if (!List.of("paper", "deep").contains(model)) {
      throw new IllegalArgumentException("E4: config key 'model' must be paper or deep, got " + model);
    }
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("model", model, "radius", radius, "m", seqLen);
  }

  static E4Point of(RunContext c) {
    return new E4Point(c.stringParam("model"), c.doubleParam("radius"), c.intParam("m"));
  }
}
