package org.ptlab.io;

/**
 * Text from a file, made safe for PTLab's one-line error messages: the CLI prints a bad-input message as one line,
 * and a newline smuggled in through a tensor name or a parser's message must not break that. Shared by the readers
 * of every file format (safetensors here, ONNX in the lab).
 */
public final class OneLine {
  /** Longest excerpt of a file-supplied string (tensor name, dtype, key) quoted in a message. */
  private static final int QUOTE_LIMIT = 80;

  private OneLine() {}

  /** {@code 'text'} with control characters escaped and long text cut. */
  public static String quote(String text) {
    String cut = text.length() <= QUOTE_LIMIT ? text
        : text.substring(0, QUOTE_LIMIT) + "...(" + text.length() + " chars)";
    return "'" + of(cut) + "'";
  }

  /** {@code s} with line breaks and other control characters escaped ({@code \n}, {@code \\u0085}, …). */
  public static String of(String s) {
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
