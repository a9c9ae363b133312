/**
 * Text to token ids: the {@link org.ptlab.io.tokenizer.Tokenizer} interface that data readers and prompt inits use,
 * and {@link org.ptlab.io.tokenizer.WordPieceTokenizer}, a pure-Java BERT WordPiece (normalizer, pre-tokenizer,
 * added tokens) read from a Hugging Face {@code tokenizer.json}, which matches Hugging Face {@code tokenizers}
 * token for token (tested against the DJL binding, a test-scope oracle only), and
 * {@link org.ptlab.io.tokenizer.ByteTokenizer}, the {@code gpt} preset's UTF-8 bytes (it also decodes, for generation).
 *
 * <p>Not here: which tokenizer a model uses ({@code org.ptlab.io.model.ModelSource}).
 */
package org.ptlab.io.tokenizer;
