package org.ptlab.tuning.batch;

/**
 * Where a pass over the data stands: the batch {@code batchIndex} of epoch {@code epoch}, both from 0. A
 * checkpoint stores the position of the next batch to train on (two ints) and hands it back to
 * {@link Batcher#from}; because each epoch's order is a function of (seed, epoch) alone, nothing else about the
 * data stream needs saving.
 */
public record BatchPosition(int epoch, int batchIndex) {
  /** The first batch of the first epoch. */
  public static final BatchPosition START = new BatchPosition(0, 0);

  public BatchPosition {
    if (epoch < 0 || batchIndex < 0) {
      throw new IllegalArgumentException("batch position must be non-negative, got epoch " + epoch + ", batch "
          + batchIndex);
    }
  }

  @Override
  public String toString() {
    return "epoch " + epoch + ", batch " + batchIndex;
  }
}
