package org.ptlab.tensor;

/** A NaN or infinity appeared in a gradient while anomaly detection was on; the message names the op. */
public final class AnomalyException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public AnomalyException(String message) {
    super(message);
  }
}
