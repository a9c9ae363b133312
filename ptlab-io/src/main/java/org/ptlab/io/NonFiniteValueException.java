package org.ptlab.io;

/**
 * A writer was handed a NaN or infinite value to store. PTLab never writes one into a result file (a checkpoint,
 * adapter, model folder or metrics), because a file that loads but computes NaN is worse than no file: the writer
 * refuses, naming the file, the tensor or key and the first bad element, and the target stays as it was. Not an
 * {@link IllegalArgumentException}: the values come from a computation, not from the user's input, so the CLI exits
 * 1 rather than 2.
 */
public final class NonFiniteValueException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NonFiniteValueException(String message) {
    super(message);
  }
}
