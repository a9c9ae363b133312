package org.ptlab.io.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records of fields (RFC 4180): fields separated by commas, records by {@code \n} or
 * {@code \r\n}; a field that starts with a double quote runs to the matching quote, may hold commas and line
 * breaks, and writes a quote as {@code ""}. A quote inside an unquoted field is kept as text, as most CSV readers
 * do. Each record remembers the line it starts on, so an error can name it.
 */
final class CsvRecords {
  /** One record, and the 1-based line of the file it starts on. */
  record Row(List<String> fields, int line) {}

  /** Malformed CSV: the message is what is wrong, {@link #line} where. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    Malformed(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private final String text;
  private int pos;
  private int line = 1;

  CsvRecords(String text) {
    this.text = text;
  }

  /** The next record, or null at the end of the text. A blank line is a record of one empty field. */
  Row next() {
    if (pos >= text.length()) return null;
    int start = line;
    List<String> fields = new ArrayList<>();
    while (true) {
      fields.add(text.startsWith("\"", pos) ? quoted() : unquoted());
      if (pos >= text.length()) return new Row(fields, start);
      char c = text.charAt(pos);
      if (c == ',') {
        pos++;
        continue;
      }
      endLine(); // unquoted() and quoted() stop only at a comma or a line end
      return new Row(fields, start);
    }
  }

  private String unquoted() {
    int from = pos;
    while (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) pos++;
    return text.substring(from, pos);
  }

  private String quoted() {
    int openLine = line;
    pos++; // the opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new Malformed(openLine, "unterminated quoted field (the quote opened on line " + openLine
            + " is never closed)");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        if (text.startsWith("\"", pos + 1)) {
          sb.append('"');
          pos += 2;
          continue;
        }
        pos++;
        if (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
          throw new Malformed(line, "unexpected text after a closing quote; write a quote inside a quoted field as \"\"");
        }
        return sb.toString();
      }
      if (c == '\n') line++;
      sb.append(c);
      pos++;
    }
  }

  private boolean atLineEnd() {
    char c = text.charAt(pos);
    return c == '\n' || (c == '\r' && text.startsWith("\n", pos + 1));
  }

  private void endLine() {
    pos += text.charAt(pos) == '\r' ? 2 : 1;
    line++;
  }
}
