package org.ptlab.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ptlab.io.Json;

/**
 * The tokenizer a model folder carries: {@code tokenizer.json} (WordPiece or byte-level BPE, chosen by its
 * {@code model.type}), or else OpenAI's {@code encoder.json} + {@code vocab.bpe} pair (GPT-2).
 */
public final class TokenizerFiles {
  /** Hugging Face's tokenizer file. */
  public static final String TOKENIZER_JSON = "tokenizer.json";
  /** OpenAI's GPT-2 vocabulary (symbol → id). */
  public static final String ENCODER_JSON = "encoder.json";
  /** OpenAI's GPT-2 merges. */
  public static final String VOCAB_BPE = "vocab.bpe";
  /** Every file that may make up a folder's tokenizer (what a saved copy of the folder takes along). */
  public static final List<String> NAMES = List.of(TOKENIZER_JSON, ENCODER_JSON, VOCAB_BPE);

  private TokenizerFiles() {}

  /** The folder's tokenizer, or null when it has none of the files. */
  public static Tokenizer read(Path dir) throws IOException {
    Path json = dir.resolve(TOKENIZER_JSON);
    if (Files.isRegularFile(json)) {
      byte[] bytes = Files.readAllBytes(json);
      return fromJson(bytes, json.toString());
    }
    Path enc = dir.resolve(ENCODER_JSON);
    Path merges = dir.resolve(VOCAB_BPE);
    if (Files.isRegularFile(enc) && Files.isRegularFile(merges)) return ByteLevelBpeTokenizer.fromFiles(enc, merges);
    if (Files.isRegularFile(enc) || Files.isRegularFile(merges)) {
      throw new IllegalArgumentException(dir + ": has " + (Files.isRegularFile(enc) ? ENCODER_JSON : VOCAB_BPE)
          + " without " + (Files.isRegularFile(enc) ? VOCAB_BPE : ENCODER_JSON) + " (GPT-2's tokenizer needs both)");
    }
    return null;
  }

  /** A tokenizer.json of either kind: byte-level BPE when its model type is BPE, else WordPiece (which names it). */
  public static Tokenizer fromJson(byte[] bytes, String source) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      root = null; // the WordPiece reader reports it
    }
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      return BpeTokenizerJson.isBpe(root) ? BpeTokenizerJson.read(in, source) : WordPieceTokenizer.fromJson(in, source);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array does not fail
    }
  }
}
