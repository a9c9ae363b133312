package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E10 run's parameters. Config keys (the run store's identity: names and types are those E10 has always
 * written): {@code split}, {@code method}, {@code init} (prompt only), {@code m_p} (prompt, prefix), {@code r}
 * (LoRA), {@code lr}, {@code epochs}, {@code batch}, {@code max_steps} (smoke grid only).
 *
 * @param split the domain split of {@link E10Data}, e.g. "to-imdb"
 * @param method head, prompt, prefix, lora or full (see {@link E10Methods})
 * @param init the prompt's {@code PromptInit} name, null for other methods
 * @param promptLength m_p for prompt and prefix, else null
 * @param rank LoRA's r, else null
 * @param lr Adam's learning rate
 * @param epochs passes over the training split
 * @param batch training batch size
 * @param maxSteps a cap on steps (smoke grid only), else null
 */
record E10Point(String split, String method, String init, Integer promptLength, Integer rank, double lr, int epochs,
    int batch, Integer maxSteps) implements GridPoint {

  static final List<String> METHODS = List.of("head", "prompt", "prefix", "lora", "full");

  E10Point {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("E10: config key 'method' must be head, prompt, prefix, lora or full, got "
          + method);
    }
  }

  static E10Point head(String split, double lr, int epochs) {
    return new E10Point(split, "head", null, null, null, lr, epochs, 16, null);
  }

  static E10Point prompt(String split, String init, int promptLength, double lr, int epochs) {
    return new E10Point(split, "prompt", init, promptLength, null, lr, epochs, 16, null);
  }

  static E10Point prefix(String split, int promptLength, double lr, int epochs) {
    return new E10Point(split, "prefix", null, promptLength, null, lr, epochs, 16, null);
  }

  static E10Point lora(String split, int rank, double lr, int epochs) {
    return new E10Point(split, "lora", null, null, rank, lr, epochs, 16, null);
  }

  static E10Point full(String split, double lr, int epochs) {
    return new E10Point(split, "full", null, null, null, lr, epochs, 16, null);
  }

  /** The same run capped at {@code steps} optimizer steps. */
  E10Point withMaxSteps(int steps) {
    return new E10Point(split, method, init, promptLength, rank, lr, epochs, batch, steps);
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("split", split, "method", method, "init", init, "m_p", promptLength, "r", rank, "lr", lr,
        "epochs", epochs, "batch", batch, "max_steps", maxSteps);
  }

  static E10Point of(RunContext c) {
    return new E10Point(c.stringParam("split"), c.stringParam("method"),
        c.hasParam("init") ? c.stringParam("init") : null, c.hasParam("m_p") ? c.intParam("m_p") : null,
        c.hasParam("r") ? c.intParam("r") : null, c.doubleParam("lr"), c.intParam("epochs"), c.intParam("batch"),
        c.hasParam("max_steps") ? c.intParam("max_steps") : null);
  }
}
