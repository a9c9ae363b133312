package org.ptlab.io.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.ptlab.io.Json;

/**
 * The {@code gpt} preset's tokenizer: its 256-entry vocabulary is the bytes, so a text's ids are the bytes of its
 * UTF-8 encoding (0–255), with no special tokens; decoding turns ids back into bytes and the bytes into text (an
 * incomplete character at the end, as a generation cut off mid-character leaves, shows as U+FFFD).
 *
 * <p>{@link #tokenizerJson} writes the same tokenizer as a Hugging Face {@code tokenizer.json}: a byte-level BPE with
 * no merges whose vocabulary maps byte b's GPT-2 symbol to id b. With no merges every byte stays a token of its own,
 * so the ids are the bytes whatever the pre-tokenizer's split; a saved {@code gpt} folder then reads text as the
 * preset did (in PTLab and in HF {@code tokenizers}).
 */
public final class ByteTokenizer implements Tokenizer {
  /** The vocabulary a model needs to read every byte. */
  public static final int VOCAB = 256;

  /** This tokenizer as a Hugging Face {@code tokenizer.json} (UTF-8): byte-level BPE, 256 byte symbols, no merges. */
  public static byte[] tokenizerJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    root.putArray("added_tokens");
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(false));
    root.set("post_processor", byteLevel(true));
    root.set("decoder", byteLevel(true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int b = 0; b < VOCAB; b++) vocab.put(String.valueOf(ByteLevelBpe.charOf(b)), b);
    model.putArray("merges");
    try {
      return Json.PRETTY.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  private static ObjectNode byteLevel(boolean addPrefixSpace) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", addPrefixSpace);
    n.put("trim_offsets", true);
    n.put("use_regex", true);
    return n;
  }

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xFF;
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    byte[] bytes = new byte[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= VOCAB) throw new IllegalArgumentException("token id " + ids[i] + " is not a byte");
      bytes[i] = (byte) ids[i];
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }

  /** Byte 0 (NUL): padded positions are masked out anyway. */
  @Override
  public int padId() {
    return 0;
  }
}
