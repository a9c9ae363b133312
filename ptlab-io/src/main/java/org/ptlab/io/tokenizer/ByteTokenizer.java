package org.ptlab.io.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The {@code gpt} preset's tokenizer: its 256-entry vocabulary is the bytes, so a text's ids are the bytes of its
 * UTF-8 encoding (0–255), with no special tokens; decoding turns ids back into bytes and the bytes into text (an
 * incomplete character at the end, as a generation cut off mid-character leaves, shows as U+FFFD).
 */
public final class ByteTokenizer implements Tokenizer {
  /** The vocabulary a model needs to read every byte. */
  public static final int VOCAB = 256;

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
