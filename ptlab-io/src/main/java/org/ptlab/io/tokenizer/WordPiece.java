package org.ptlab.io.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * HF tokenizers' {@code WordPiece} model: greedy longest-match-first over one word. The first piece is looked up
 * as is, every later one with the continuation prefix ({@code ##}); if some position matches nothing, or the word
 * is longer than {@code maxChars} code points, the whole word becomes the unknown token.
 * {@code unaffable} gives {@code una ##ffa ##ble}.
 *
 * @param vocab token → id; not copied
 * @param unkId the id of the unknown token
 * @param prefix the continuation prefix, usually {@code ##}
 * @param maxChars longer words (in code points) become the unknown token without being looked up
 */
record WordPiece(Map<String, Integer> vocab, int unkId, String prefix, int maxChars) {
  /** Appends the ids of {@code word}'s pieces to {@code out}. */
  void tokenize(String word, List<Integer> out) {
    if (word.codePointCount(0, word.length()) > maxChars) {
      out.add(unkId);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer id = null;
      while (start < end) {
        String piece = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
        id = vocab.get(piece);
        if (id != null) break;
        end = word.offsetByCodePoints(end, -1); // drop one code point, never half a surrogate pair
      }
      if (id == null) {
        out.subList(mark, out.size()).clear();
        out.add(unkId);
        return;
      }
      out.add(id);
      start = end;
    }
  }
}
