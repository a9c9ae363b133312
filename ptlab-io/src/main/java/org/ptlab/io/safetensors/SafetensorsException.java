package org.ptlab.io.safetensors;

import org.ptlab.io.OneLine;

/**
 * A safetensors file (or a request against one) is malformed or does not match the model: the message is one line
 * naming the file and what is wrong. An {@link IllegalArgumentException}, so the CLI reports it as bad input
 * (exit 2) rather than as a bug.
 */
public final class SafetensorsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SafetensorsException(String message) {
    super(OneLine.of(message));
  }

  /** {@code 'text'} for a name that comes from a file (see {@link OneLine#quote}). */
  static String quote(String text) {
    return OneLine.quote(text);
  }
}
