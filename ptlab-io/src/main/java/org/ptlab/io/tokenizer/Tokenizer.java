package org.ptlab.io.tokenizer;

/**
 * Text to token ids for a model with a token embedding. A WordPiece implementation comes with the real-model
 * loaders; tests use a toy one.
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
   * The text of {@code ids} (a generation's new tokens). Tokenizers that cannot decode say so.
   *
   * @throws UnsupportedOperationException if this tokenizer has no decoder
   */
  default String decode(int[] ids) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot turn token ids back into text");
  }

  /** The id a batch uses to fill positions past the end of a shorter sequence (they are masked out anyway). */
  int padId();
}
