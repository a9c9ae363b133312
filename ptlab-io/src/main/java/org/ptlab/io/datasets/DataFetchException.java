package org.ptlab.io.datasets;

/**
 * Data could not be fetched or failed its checks (npm missing, registry unreachable, checksum or item counts
 * wrong). The message is one line that says what to do; nothing half-written is left in the cache. Not an
 * {@link IllegalArgumentException}: the user's input is fine, the environment or download is not (CLI exit 1).
 */
public final class DataFetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFetchException(String message) {
    super(message);
  }

  public DataFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
