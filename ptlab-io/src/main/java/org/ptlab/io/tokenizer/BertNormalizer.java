package org.ptlab.io.tokenizer;

import java.text.Normalizer;
import java.util.Locale;

/**
 * HF tokenizers' {@code BertNormalizer}, step by step and in its order: clean text, space out CJK ideographs,
 * strip accents, lowercase. Each step is the Rust one's character test, not Java's nearest look-alike, because
 * the two differ: {@link Character#isWhitespace} rejects U+00A0 and accepts U+001C, and {@link String#toLowerCase}
 * turns a word-final Σ into ς while HF maps each character on its own.
 *
 * <p>Character classes (control, nonspacing mark) come from {@link BertCharClasses}, HF's own Unicode 8.0 view,
 * not from the JDK's newer tables, so every code point is treated as HF treats it, whatever the JDK.
 *
 * @param cleanText drop control characters, U+0000 and U+FFFD; turn every whitespace character into a space
 * @param chineseChars put a space either side of each CJK ideograph so it becomes a word of its own
 * @param stripAccents decompose (NFD) and drop nonspacing marks (Mn): {@code Café} becomes {@code Cafe}
 * @param lowercase map each character to its lowercase, one character at a time
 */
record BertNormalizer(boolean cleanText, boolean chineseChars, boolean stripAccents, boolean lowercase) {
  /**
   * Half a surrogate pair, which a Java string can hold and UTF-8 cannot, becomes U+FFFD, as it does on its way
   * into HF's Rust code (so clean text then drops it). Applied to every input, normalized or not.
   */
  static String replaceLoneSurrogates(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean paired = Character.isHighSurrogate(ch) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
          : !Character.isLowSurrogate(ch) || i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (!paired && out == null) out = new StringBuilder(s.length()).append(s, 0, i);
      if (out != null) out.append(paired ? ch : '\uFFFD');
    }
    return out == null ? s : out.toString();
  }

  /** The text as HF's normalizer leaves it. */
  String normalize(String text) {
    String s = text;
    if (cleanText) s = clean(s);
    if (chineseChars) s = spaceChinese(s);
    if (stripAccents) s = stripAccents(s);
    if (lowercase) s = lowercase(s);
    return s;
  }

  private static String clean(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c == 0 || c == 0xFFFD || isControl(c)) return;
      out.appendCodePoint(isWhitespace(c) ? ' ' : c);
    });
    return out.toString();
  }

  private static String spaceChinese(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    s.codePoints().forEach(c -> {
      if (isChinese(c)) out.append(' ').appendCodePoint(c).append(' ');
      else out.appendCodePoint(c);
    });
    return out.toString();
  }

  private static String stripAccents(String s) {
    String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(nfd.length());
    nfd.codePoints().forEach(c -> {
      if (!BertCharClasses.isNonspacingMark(c)) out.appendCodePoint(c);
    });
    return out.toString();
  }

  /** Per character, like Rust's {@code char::to_lowercase}: İ becomes "i̇" (two chars), a final Σ stays σ. */
  private static String lowercase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c < 0x80) out.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
      else out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
    });
    return out.toString();
  }

  /** Rust's {@code char::is_whitespace} (the Unicode White_Space property), which HF also uses to split words. */
  static boolean isWhitespace(int c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /** HF's {@code is_control}: categories Cc, Cf and Co, except tab, newline and carriage return (whitespace). */
  static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    return BertCharClasses.isControl(c);
  }

  /** The CJK Unified Ideographs blocks HF lists (not Hangul, Hiragana or Katakana, which use spaces). */
  static boolean isChinese(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
