package org.ptlab.nn.io;

/**
 * A safetensors file (or a request against one) is malformed or does not match the model: the message is one line
 * naming the file and what is wrong. An {@link IllegalArgumentException}, so the CLI reports it as bad input
 * (exit 2) rather than as a bug.
 */
public final class SafetensorsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Longest excerpt of a file-supplied string (tensor name, dtype, key) quoted in a message. */
  private static final int QUOTE_LIMIT = 80;

  public SafetensorsException(String message) {
    super(oneLine(message));
  }

  /** {@code 'text'} with control characters escaped and long text cut, for names that come from a file. */
  static String quote(String text) {
    String cut = text.length() <= QUOTE_LIMIT ? text
        : text.substring(0, QUOTE_LIMIT) + "...(" + text.length() + " chars)";
    return "'" + escapeControls(cut) + "'";
  }

  // The CLI prints the message as one line; a newline smuggled in through a name or a parser message must not
  // break that contract.
  private static String oneLine(String message) {
    return escapeControls(message);
  }

  private static String escapeControls(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') out.append("\\n");
      else if (c == '\r') out.append("\\r");
      else if (c == '\t') out.append("\\t");
      else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
