package org.ptlab.io.tokenizer;

import java.util.List;

/**
 * HF tokenizers' {@code BertPreTokenizer}: splits normalized text into words at whitespace (dropped) and around
 * every punctuation character (kept as a word of its own), so {@code "don't!"} gives {@code don ' t !}.
 * Punctuation is Rust's {@code is_ascii_punctuation} (which counts {@code $ + < = > ^ ` | ~}, symbols to Unicode)
 * or a Unicode punctuation category P* ({@link BertCharClasses}).
 */
final class BertPreTokenizer {
  private BertPreTokenizer() {}

  /** Appends the words of {@code text} to {@code words}, in order; no word is empty. */
  static void split(String text, List<String> words) {
    int start = -1; // start of the word being read, or -1 between words
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      if (BertNormalizer.isWhitespace(c) || isPunctuation(c)) {
        if (start >= 0) words.add(text.substring(start, i));
        start = -1;
        if (!BertNormalizer.isWhitespace(c)) words.add(text.substring(i, next));
      } else if (start < 0) {
        start = i;
      }
      i = next;
    }
    if (start >= 0) words.add(text.substring(start));
  }

  static boolean isPunctuation(int c) {
    if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
        || (c >= 0x7B && c <= 0x7E);
    return BertCharClasses.isPunctuation(c);
  }
}
