package org.ptlab.tensor;

/** A tensor op was given shapes (or dtypes) it cannot combine; the message names the op and the shapes. */
public final class ShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(message);
  }
}
