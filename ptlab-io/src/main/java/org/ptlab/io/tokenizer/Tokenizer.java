package org.ptlab.io.tokenizer;

/**
 * Text to token ids, and back, for a model with a token embedding: WordPiece (BERT family) and byte-level BPE
 * (GPT-2) come with the real-model loaders; tests use a toy one.
 */
public interface Tokenizer {
  /**
   * The ids the model reads for {@code text}, including any special tokens it expects (for BERT-style encoders
   * {@code [CLS] ... [SEP]}), so that the result can be fed to the model as is.
   *
   * @throws IllegalArgumentException if the text cannot be encoded (the message says why, in one line)
   */
  int[] encode(String text);

  /**
   * The ids of {@code text} as a piece of a sequence, without special tokens (a label word for a prompt init). By
   * default the same as {@link #encode}.
   */
  default int[] encodePieces(String text) {
    return encode(text);
  }

  /**
   * The token that ends a text, at which generation stops (GPT-2's {@code <|endoftext|>}, HF's
   * {@code eos_token_id}), or −1 when this tokenizer has none.
   */
  default int endOfTextId() {
    return -1;
  }

  /** The id a batch uses to fill positions past the end of a shorter sequence (they are masked out anyway). */
  int padId();

  /**
   * The text of {@code ids} (what generation prints). Byte-level BPE and the UTF-8 byte tokenizer gives back the encoded text exactly; WordPiece
   * joins its pieces with HF's WordPiece decoder rules (lossy: case, accents and spacing may differ).
   *
   * @throws IllegalArgumentException naming an id that no token has
   * @throws UnsupportedOperationException for a tokenizer that cannot decode
   */
  default String decode(int[] ids) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot decode ids to text");
  }
}
