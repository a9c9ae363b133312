package org.ptlab.tuning.train;

import java.nio.file.Path;

/**
 * The loss, a gradient, a trained tensor after the optimizer step, an optimizer buffer or the validation loss became
 * NaN or infinite; the message names the step and the tensor (or loss) and, for a run with checkpoints, the last
 * finite checkpoint it keeps or that there is none.
 */
public final class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path kept;

  public TrainingDiverged(String message) {
    this(message, null);
  }

  public TrainingDiverged(String message, Path kept) {
    super(message);
    this.kept = kept;
  }

  /** The checkpoint folder the run keeps (finite), or null when none was written or the run has no checkpoints. */
  public Path kept() {
    return kept;
  }
}
