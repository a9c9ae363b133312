package org.ptlab.io.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE, as OpenAI's encoder.py and Hugging Face's ByteLevel + BPE pipeline define it:
 *
 * <ol>
 *   <li>split the text with GPT-2's pattern {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
 *       \s+(?!\S)|\s+};
 *   <li>write each piece's UTF-8 bytes as printable characters (the bytes→unicode table: printable Latin-1 bytes
 *       stand for themselves, the other 68 for U+0100…; a space becomes {@code Ġ});
 *   <li>merge adjacent symbols, lowest merge rank first (every occurrence of that pair, left to right), until no
 *       pair has a rank; each symbol is then a vocabulary entry.
 * </ol>
 * {@code \s} is JavaScript's whitespace class (the reference encoder the tests compare with), not Java's ASCII one.
 * Immutable apart from a bounded cache of merged words; safe to share between threads.
 */
final class ByteLevelBpe {
  /** JavaScript's {@code \s}: ASCII whitespace, NBSP, the Unicode space separators, line/paragraph separators, BOM. */
  private static final String WS = "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
  static final Pattern PATTERN = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" + WS
      + "\\p{L}\\p{N}]+|[" + WS + "]+(?![^" + WS + "])|[" + WS + "]+");
  private static final char[] BYTE_TO_CHAR = byteToChar();
  private static final int CACHE_LIMIT = 50_000;

  private final Map<String, Integer> vocab;
  private final Map<String, Integer> ranks; // "left right" → rank (symbols never hold a space: ' ' is written Ġ)
  private final boolean ignoreMerges;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * @param vocab symbol → id
   * @param merges pairs in rank order (first = merged first)
   * @param ignoreMerges HF's {@code ignore_merges}: a whole piece found in the vocabulary is taken as it is
   * @throws IllegalArgumentException naming a merge whose parts or result are not in the vocabulary
   */
  ByteLevelBpe(Map<String, Integer> vocab, List<String[]> merges, boolean ignoreMerges, String source) {
    this.vocab = Map.copyOf(vocab);
    this.ranks = new HashMap<>(merges.size() * 2);
    this.ignoreMerges = ignoreMerges;
    for (int i = 0; i < merges.size(); i++) {
      String[] m = merges.get(i);
      if (!vocab.containsKey(m[0] + m[1])) {
        throw new IllegalArgumentException(source + ": merge " + (i + 1) + " (\"" + m[0] + " " + m[1]
            + "\") makes a token that is not in the vocabulary");
      }
      ranks.put(m[0] + " " + m[1], i); // a repeated merge keeps its last rank, as encoder.py's dict(zip(...)) does
    }
    for (int b = 0; b < 256; b++) {
      if (!vocab.containsKey(String.valueOf(BYTE_TO_CHAR[b]))) {
        throw new IllegalArgumentException(source + ": the vocabulary lacks byte " + b + " (\"" + BYTE_TO_CHAR[b]
            + "\"); a byte-level BPE needs all 256");
      }
    }
  }

  /** Appends the ids of {@code text} (no special tokens) to {@code out}. */
  void encode(String text, List<Integer> out) {
    Matcher m = PATTERN.matcher(text);
    StringBuilder symbols = new StringBuilder();
    while (m.find()) {
      symbols.setLength(0);
      for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) symbols.append(BYTE_TO_CHAR[b & 0xFF]);
      for (int id : word(symbols.toString())) out.add(id);
    }
  }

  /** The bytes a vocabulary symbol stands for, appended to {@code out}; false if it has a character outside the table. */
  static boolean bytesOf(String symbol, java.io.ByteArrayOutputStream out) {
    for (int i = 0; i < symbol.length(); i++) {
      int b = charToByte(symbol.charAt(i));
      if (b < 0) return false;
      out.write(b);
    }
    return true;
  }

  /** The ids of one pre-tokenized piece, already written as byte characters. */
  private int[] word(String piece) {
    int[] hit = cache.get(piece);
    if (hit != null) return hit;
    int[] ids;
    Integer whole = ignoreMerges ? vocab.get(piece) : null;
    if (whole != null) {
      ids = new int[] {whole};
    } else {
      List<String> parts = merge(piece);
      ids = new int[parts.size()];
      for (int i = 0; i < ids.length; i++) ids[i] = vocab.get(parts.get(i)); // every merge result is in vocab
    }
    if (cache.size() >= CACHE_LIMIT) cache.clear();
    cache.put(piece, ids);
    return ids;
  }

  /** encoder.py's bpe(): merge the lowest-ranked pair everywhere it occurs, until no pair has a rank. */
  private List<String> merge(String piece) {
    List<String> word = new ArrayList<>(piece.length());
    for (int i = 0; i < piece.length(); i++) word.add(String.valueOf(piece.charAt(i)));
    while (word.size() > 1) {
      int best = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
        if (r != null && r < best) {
          best = r;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) break;
      List<String> next = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); ) {
        if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          next.add(first + second);
          i += 2;
        } else {
          next.add(word.get(i));
          i++;
        }
      }
      word = next;
    }
    return word;
  }

  /** GPT-2's bytes_to_unicode(): printable bytes map to themselves, the rest to U+0100 onwards in byte order. */
  private static char[] byteToChar() {
    char[] table = new char[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[b] = printable ? (char) b : (char) (256 + n++);
    }
    return table;
  }

  private static int charToByte(char c) {
    if (c < 256) {
      return BYTE_TO_CHAR[c] == c ? c : -1;
    }
    for (int b = 0; b < 256; b++) if (BYTE_TO_CHAR[b] == c) return b; // only 68 such characters, all < U+0144
    return -1;
  }

  /** The character that stands for byte {@code b}. */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b];
  }
}
