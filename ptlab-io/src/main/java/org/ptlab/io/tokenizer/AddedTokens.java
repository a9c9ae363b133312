package org.ptlab.io.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text around added tokens (such as {@code [MASK]}) the way HF's added vocabulary does: scanning left to
 * right, at each position the longest token that starts there wins, and the text between matches is left for
 * the normalizer and WordPiece. So {@code "a[MASK]b"} gives {@code "a"}, [MASK], {@code "b"}.
 */
final class AddedTokens {
  private AddedTokens() {}

  /** The parts of {@code text} in order: each a non-empty String, or a {@link WordPieceTokenizer.Added}. */
  static List<Object> split(String text, List<WordPieceTokenizer.Added> tokens) {
    if (tokens.isEmpty()) return List.of(text);
    List<Object> parts = new ArrayList<>(3);
    int plain = 0; // start of the text not yet emitted
    for (int i = 0; i < text.length(); ) {
      WordPieceTokenizer.Added best = null;
      for (WordPieceTokenizer.Added t : tokens) {
        if (text.startsWith(t.content(), i) && (best == null || t.content().length() > best.content().length())) best = t;
      }
      if (best == null) {
        i++;
        continue;
      }
      if (i > plain) parts.add(text.substring(plain, i));
      parts.add(best);
      i += best.content().length();
      plain = i;
    }
    if (plain < text.length()) parts.add(text.substring(plain));
    return parts;
  }
}
