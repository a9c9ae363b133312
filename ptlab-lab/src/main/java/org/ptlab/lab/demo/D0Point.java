package org.ptlab.lab.demo;

import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One D0 run. Config keys (the run store's identity): {@code method} (prompt or lora), {@code m_p} (prompt) or
 * {@code r} (LoRA), {@code d}, {@code steps}, {@code lr}.
 *
 * @param method "prompt" or "lora"
 * @param size m_p for a prompt, r for LoRA
 * @param d the layer's width
 * @param steps full-batch Adam steps
 * @param lr Adam's learning rate
 */
record D0Point(String method, int size, int d, int steps, double lr) implements GridPoint {
  D0Point {
    if (!method.equals("prompt") && !method.equals("lora")) {
      throw new IllegalArgumentException("D0: config key 'method' must be prompt or lora, got " + method);
    }
  }

  static D0Point prompt(int promptLength, int d, int steps, double lr) {
    return new D0Point("prompt", promptLength, d, steps, lr);
  }

  static D0Point lora(int rank, int d, int steps, double lr) {
    return new D0Point("lora", rank, d, steps, lr);
  }

  boolean isPrompt() {
    return method.equals("prompt");
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("method", method, isPrompt() ? "m_p" : "r", size, "d", d, "steps", steps, "lr", lr);
  }

  static D0Point of(RunContext c) {
    String method = c.stringParam("method");
    int size = c.intParam(method.equals("prompt") ? "m_p" : "r");
    return new D0Point(method, size, c.intParam("d"), c.intParam("steps"), c.doubleParam("lr"));
  }
}
