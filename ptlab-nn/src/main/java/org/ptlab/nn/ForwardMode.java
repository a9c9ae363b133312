package org.ptlab.nn;

import org.ptlab.tensor.random.Rng;

/**
 * One forward pass's mode: training (dropout on, drawn from {@code rng}) or evaluation (deterministic, no rng).
 *
 * @param training dropout layers are active
 * @param rng the generator dropout draws from; required when training
 */
public record ForwardMode(boolean training, Rng rng) {
  /** Evaluation: no dropout. */
  public static final ForwardMode EVAL = new ForwardMode(false, null);

  public ForwardMode {
    if (training && rng == null) throw new IllegalArgumentException("a training pass needs an Rng for dropout");
  }

  /** A training pass drawing dropout masks from {@code rng}. */
  public static ForwardMode train(Rng rng) {
    return new ForwardMode(true, rng);
  }
}
