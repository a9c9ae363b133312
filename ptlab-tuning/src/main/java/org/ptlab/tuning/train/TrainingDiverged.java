package org.ptlab.tuning.train;

/** The loss or a gradient became NaN or infinite; the message names the step and the tensor. */
public final class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDiverged(String message) {
    super(message);
  }
}
