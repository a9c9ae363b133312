package org.ptlab.cli;

/** Bad input from the user (a file, an option value): one line, exit code 2. */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }
}
