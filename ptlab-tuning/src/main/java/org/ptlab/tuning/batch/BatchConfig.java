package org.ptlab.tuning.batch;

import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.tensor.DType;

/**
 * How a {@link Batcher} cuts a dataset into batches.
 *
 * @param batchSize examples per batch (the last batch of an epoch may be smaller unless {@code dropLast})
 * @param shuffle whether each epoch visits the examples in a fresh seeded order; if false, file order every epoch
 * @param seed the run's seed; with the epoch number it alone determines each epoch's order
 * @param dropLast drop an epoch's last batch if it is smaller than {@code batchSize} (keeps batch shapes fixed)
 * @param dtype element type of the tensors of a batch: inputs, mask and targets (F64 for theory, F32 for training)
 * @param padId the token id written into padded positions (use the tokenizer's {@link Tokenizer#padId()})
 */
public record BatchConfig(int batchSize, boolean shuffle, long seed, boolean dropLast, DType dtype, int padId) {
  public BatchConfig {
    if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    if (dtype == null) throw new IllegalArgumentException("dtype must be F64 or F32, got null");
    if (padId < 0) throw new IllegalArgumentException("padId must be non-negative, got " + padId);
  }

  /** Seeded shuffling, last partial batch kept, float32 tensors, pad id 0. */
  public static BatchConfig shuffled(int batchSize, long seed) {
    return new BatchConfig(batchSize, true, seed, false, DType.F32, 0);
  }

  /** File order every epoch (evaluation), last partial batch kept, float32 tensors, pad id 0. */
  public static BatchConfig inOrder(int batchSize) {
    return new BatchConfig(batchSize, false, 0L, false, DType.F32, 0);
  }

  public BatchConfig withDropLast(boolean drop) {
    return new BatchConfig(batchSize, shuffle, seed, drop, dtype, padId);
  }

  public BatchConfig withDType(DType type) {
    return new BatchConfig(batchSize, shuffle, seed, dropLast, type, padId);
  }

  public BatchConfig withPadId(int id) {
    return new BatchConfig(batchSize, shuffle, seed, dropLast, dtype, id);
  }
}
