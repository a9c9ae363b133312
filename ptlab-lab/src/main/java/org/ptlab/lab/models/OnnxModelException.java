package org.ptlab.lab.models;

/**
 * An ONNX file is not a model PTLab can load (not ONNX at all, truncated, or a graph whose weights do not fit the
 * configuration): the message is one line naming the file and what is wrong. An {@link IllegalArgumentException},
 * so the CLI reports it as bad input (exit 2) rather than as a bug.
 */
public final class OnnxModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Longest excerpt of a file-supplied string (initializer or node name) quoted in a message. */
  private static final int QUOTE_LIMIT = 80;

  public OnnxModelException(String message) {
    super(escapeControls(message));
  }

  /** {@code 'text'} with control characters escaped and long text cut, for names that come from a file. */
  static String quote(String text) {
    String cut = text.length() <= QUOTE_LIMIT ? text
        : text.substring(0, QUOTE_LIMIT) + "...(" + text.length() + " chars)";
    return "'" + escapeControls(cut) + "'";
  }

  // The CLI prints the message as one line; a newline smuggled in through a name or a parser message must not
  // break that contract.
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
