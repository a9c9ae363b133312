package org.ptlab.io.data;

import java.util.List;

/**
 * Bad training data: the message is one line, {@code FILE:LINE: what is wrong}. It extends
 * {@link IllegalArgumentException} so that the CLI maps it to exit code 2 like any other bad input.
 *
 * <p>A file with several bad lines is read to the end: the message names the first and counts the rest, and
 * {@link #problems()} lists them all (up to the first 100) so that a tool can print them.
 */
public final class DataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  public DataException(String message) {
    this(message, List.of(message));
  }

  DataException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one line each, in file order; the first is the one the message names. */
  public List<String> problems() {
    return problems;
  }
}
