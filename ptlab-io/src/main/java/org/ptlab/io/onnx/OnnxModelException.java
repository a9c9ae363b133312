package org.ptlab.io.onnx;

import org.ptlab.io.OneLine;

/**
 * An ONNX file is not a model PTLab can load (not ONNX at all, truncated, or a graph whose weights do not fit the
 * configuration): the message is one line naming the file and what is wrong. An {@link IllegalArgumentException},
 * so the CLI reports it as bad input (exit 2) rather than as a bug.
 */
public final class OnnxModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OnnxModelException(String message) {
    super(OneLine.of(message));
  }

  /** {@code 'text'} for a name that comes from the file (see {@link OneLine#quote}). */
  static String quote(String text) {
    return OneLine.quote(text);
  }
}
