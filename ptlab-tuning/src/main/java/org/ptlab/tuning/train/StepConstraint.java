package org.ptlab.tuning.train;

import java.util.Map;
import org.ptlab.tensor.Tensor;

/**
 * A projection of the trainable tensors onto a feasible set, which the {@link Trainer} applies once before the first
 * step and right after every optimizer step (projected gradient descent). Example: keeping a soft prompt's
 * induced exponent range R ≤ R_max so its attention stays in the fast regime
 * ({@code org.ptlab.theory.hu2025.PromptNormConstraint}).
 *
 * <p>Contract, so that runs stay deterministic and {@code --resume} stays bit-identical: {@link #project} is a
 * pure function of the tensors' values (no randomness, no dependence on the step or the batch), it is the identity
 * on feasible values, and it is idempotent. It runs with gradients off and changes values in place.
 *
 * <pre>{@code
 * new Trainer(tuned, task, config, pad).constrainWith(PromptNormConstraint.calibrate(tuned, data, 2.0)).fit(train, val);
 * }</pre>
 */
public interface StepConstraint {
  /** Projects {@code trainable} (the trainer's named tensors, live) in place. */
  void project(Map<String, Tensor> trainable);

  /** A stable one-line description (it enters the checkpoint fingerprint: resuming under another one is refused). */
  String describe();
}
