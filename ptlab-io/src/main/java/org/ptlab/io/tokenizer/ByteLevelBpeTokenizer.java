package org.ptlab.io.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GPT-2's tokenizer in pure Java: byte-level BPE ({@link ByteLevelBpe}) read from a Hugging Face
 * {@code tokenizer.json} (model BPE, pre-tokenizer ByteLevel) or from OpenAI's {@code encoder.json} +
 * {@code vocab.bpe}; ids checked against the reference encoder of the npm package {@code gpt-3-encoder} in the
 * tests. Added tokens such as {@code <|endoftext|>} typed in the text keep their ids (as in HF; with the
 * encoder.json pair, {@code <|endoftext|>} is the one special token, as in HF's GPT2Tokenizer). GPT-2 adds no
 * special tokens around a text, so {@link #encode} and {@link #encodePieces} agree.
 *
 * <pre>{@code
 * ByteLevelBpeTokenizer tok = ByteLevelBpeTokenizer.fromFiles(dir.resolve("encoder.json"), dir.resolve("vocab.bpe"));
 * tok.encode("Hello world");          // [15496, 995]
 * tok.decode(tok.encode("naïve 🙂")); // "naïve 🙂"
 * }</pre>
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {
  /** The end-of-text token of GPT-2's vocabulary, the pad id when a file names none. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  private final String source;
  private final ByteLevelBpe model;
  private final List<WordPieceTokenizer.Added> added;
  private final boolean addPrefixSpace;
  private final int padId;
  private final String[] tokens; // id → symbol or added token; null where no token has the id
  private final boolean[] isAdded;

  ByteLevelBpeTokenizer(String source, ByteLevelBpe model, Map<String, Integer> vocab,
      List<WordPieceTokenizer.Added> added, boolean addPrefixSpace, Integer padId) {
    this.source = source;
    this.model = model;
    this.added = List.copyOf(added);
    this.addPrefixSpace = addPrefixSpace;
    int max = -1;
    for (int id : vocab.values()) max = Math.max(max, id);
    for (WordPieceTokenizer.Added a : added) max = Math.max(max, a.id());
    this.tokens = new String[max + 1];
    this.isAdded = new boolean[max + 1];
    vocab.forEach((t, id) -> tokens[id] = t);
    for (WordPieceTokenizer.Added a : added) {
      tokens[a.id()] = a.content();
      isAdded[a.id()] = true;
    }
    Integer eot = padId != null ? padId : id(END_OF_TEXT) >= 0 ? Integer.valueOf(id(END_OF_TEXT)) : null;
    this.padId = eot == null ? 0 : eot;
  }

  /**
   * Reads a byte-level BPE tokenizer.json. Does not close {@code in}.
   *
   * @throws IllegalArgumentException (one line, naming {@code source} and the part) if it is not a byte-level BPE
   *     tokenizer.json this class reproduces exactly
   */
  public static ByteLevelBpeTokenizer fromJson(InputStream in, String source) {
    return BpeTokenizerJson.read(in, source);
  }

  /** Reads OpenAI's encoder.json (symbol → id) and vocab.bpe (a version line, then one merge per line). */
  public static ByteLevelBpeTokenizer fromFiles(Path encoderJson, Path vocabBpe) throws IOException {
    return BpeTokenizerJson.readPair(encoderJson, vocabBpe);
  }

  @Override
  public int[] encode(String text) {
    if (text == null) throw new IllegalArgumentException("text is null");
    List<Integer> ids = new ArrayList<>(text.length() / 3 + 4);
    boolean first = true;
    for (Object part : AddedTokens.split(text, added)) {
      if (part instanceof WordPieceTokenizer.Added a) {
        ids.add(a.id());
      } else {
        String s = (String) part;
        // HF's ByteLevel add_prefix_space: a space before the text unless it starts with one
        if (addPrefixSpace && first && !s.startsWith(" ")) s = " " + s;
        model.encode(s, ids);
      }
      first = false;
    }
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
    return out;
  }

  /**
   * The text of {@code ids}: each symbol's bytes, concatenated and read as UTF-8 (a sequence cut inside a
   * character gives U+FFFD, as the reference decoders do); added tokens as their text.
   *
   * @throws IllegalArgumentException naming an id no token has
   */
  @Override
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : ids) {
      String t = token(id);
      if (isAdded[id]) {
        text.append(bytes.toString(StandardCharsets.UTF_8)).append(t);
        bytes.reset();
      } else if (!ByteLevelBpe.bytesOf(t, bytes)) {
        throw new IllegalArgumentException(source + ": token " + id + " (\"" + t + "\") is not byte-level");
      }
    }
    return text.append(bytes.toString(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public int padId() {
    return padId;
  }

  /** {@value #END_OF_TEXT}'s id, or −1 when the vocabulary has no such token. */
  @Override
  public int endOfTextId() {
    return id(END_OF_TEXT);
  }

  /** The symbol or added token with this id. */
  public String token(int id) {
    if (id < 0 || id >= tokens.length || tokens[id] == null) {
      throw new IllegalArgumentException(source + ": no token has id " + id);
    }
    return tokens[id];
  }

  /** The id of a symbol or added token, or -1 if there is none. */
  public int id(String token) {
    for (int i = 0; i < tokens.length; i++) if (token.equals(tokens[i])) return i;
    return -1;
  }

  /** One more than the largest token id: the rows a token embedding needs. */
  public int vocabSize() {
    return tokens.length;
  }

  @Override
  public String toString() {
    return "ByteLevelBpeTokenizer(" + source + ", " + tokens.length + " tokens)";
  }
}
