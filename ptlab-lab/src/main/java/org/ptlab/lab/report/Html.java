package org.ptlab.lab.report;

import java.util.Locale;

/** Small helpers for writing HTML by hand: escaping and number formatting that reads well in a table. */
final class Html {
  private Html() {}

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** "—" for NaN; integers as integers; tiny or huge values in scientific notation; else 4 significant digits. */
  static String num(double x) {
    if (Double.isNaN(x)) return "—";
    if (Double.isInfinite(x)) return x > 0 ? "∞" : "−∞";
    if (x == Math.rint(x) && Math.abs(x) < 1e6) return Long.toString((long) x);
    double a = Math.abs(x);
    if (a < 1e-3 || a >= 1e5) return String.format(Locale.ROOT, "%.2e", x);
    String s = String.format(Locale.ROOT, "%.4g", x);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s; // 0.05000 → 0.05
  }

  /** Any config or metric value as table text. */
  static String value(Object v) {
    if (v == null) return "";
    if (v instanceof Number n) return num(n.doubleValue());
    return esc(String.valueOf(v));
  }

  /** Seconds as "12.3 s" or "4 min 05 s". */
  static String seconds(double s) {
    if (Double.isNaN(s)) return "—";
    if (s < 60) return String.format(Locale.ROOT, "%.1f s", s);
    long r = Math.round(s);
    return String.format(Locale.ROOT, "%d min %02d s", r / 60, r % 60);
  }
}
