package org.ptlab.lab.wang2023;

import java.util.List;
import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E5 run's parameters. Config keys: {@code part}, {@code m_p}, {@code lr}, {@code steps} (contractive),
 * {@code sentences}, {@code batch}, {@code epochs} (minilm).
 *
 * @param part "contractive" (E5a: the non-injective dataset on E3's contractive model, prompt unconstrained) or
 *     "minilm" (E5b: all-MiniLM-L6-v2 memorizing real sentences with random labels)
 * @param promptLength m_p
 * @param lr Adam's learning rate (the paper's prompt-tuning lr is 0.1)
 * @param steps full-batch Adam steps (contractive only)
 * @param sentences how many sentences to memorize (minilm only)
 * @param batch training batch (minilm only)
 * @param epochs passes over the sentences (minilm only)
 */
record E5Point(String part, int promptLength, double lr, Integer steps, Integer sentences, Integer batch,
    Integer epochs) implements GridPoint {
  E5Point {
    if (!List.of("contractive", "minilm").contains(part)) {
      throw new IllegalArgumentException("E5: config key 'part' must be contractive or minilm, got " + part);
    }
  }

  static E5Point contractive(int promptLength, double lr, int steps) {
    return new E5Point("contractive", promptLength, lr, steps, null, null, null);
  }

  static E5Point minilm(int promptLength, double lr, int sentences, int batch, int epochs) {
    return new E5Point("minilm", promptLength, lr, null, sentences, batch, epochs);
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("part", part, "m_p", promptLength, "lr", lr, "steps", steps, "sentences", sentences,
        "batch", batch, "epochs", epochs);
  }

  static E5Point of(RunContext c) {
    return new E5Point(c.stringParam("part"), c.intParam("m_p"), c.doubleParam("lr"),
        c.hasParam("steps") ? c.intParam("steps") : null, c.hasParam("sentences") ? c.intParam("sentences") : null,
        c.hasParam("batch") ? c.intParam("batch") : null, c.hasParam("epochs") ? c.intParam("epochs") : null);
  }
}
