/**
 * Training data: reading JSONL files into a checked {@link org.ptlab.tuning.data.Dataset} of
 * {@link org.ptlab.tuning.data.Example}s (token ids or continuous [m, d] inputs, with a class label, a regression
 * target or nothing), seeded train/validation {@link org.ptlab.tuning.data.Splits}, and the
 * {@link org.ptlab.tuning.data.Batcher} that shuffles per epoch and pads into
 * {@link org.ptlab.tuning.data.Batch}es with attend masks.
 *
 * <p>Rules kept everywhere here: bad data raises a {@link org.ptlab.tuning.data.DataException} whose message is
 * one line, {@code FILE:LINE: what is wrong}; the same seed gives the same split and the same batches, and a
 * {@link org.ptlab.tuning.data.BatchPosition} (epoch, batch) is all a checkpoint needs to resume the stream.
 *
 * <p>Not here: the WordPiece tokenizer (only the {@link org.ptlab.tuning.data.Tokenizer} interface is; the
 * implementation comes with the real-model loaders), prompt tokens and the masks' growth by the prompt length
 * (the tuning methods add those), and the named datasets of the experiments ({@code ptlab-lab}).
 */
package org.ptlab.tuning.data;
