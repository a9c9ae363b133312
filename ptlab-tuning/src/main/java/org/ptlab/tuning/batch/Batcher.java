package org.ptlab.tuning.batch;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.ptlab.io.data.DataException;
import org.ptlab.io.data.Dataset;
import org.ptlab.tensor.random.Rng;

/**
 * Cuts a {@link Dataset} into padded {@link Batch}es, epoch after epoch, in a seeded order.
 *
 * <h2>Determinism and resume</h2>
 * The order of epoch e is a Fisher–Yates shuffle ({@link Rng#permutation}) by a generator derived from
 * (seed, e) alone: {@code Rng.derive(seed, SHUFFLE_STREAM, e)}. No generator state carries over from one epoch
 * to the next, so any batch can be computed directly from its {@link BatchPosition}. A checkpoint therefore
 * stores the position of the next batch ({@link #after}) and a resumed run calls {@link #from} with it: it
 * gets exactly the batches an uninterrupted run would have seen, without replaying earlier ones. This holds as
 * long as the dataset, batch size, seed and {@code dropLast} are the same; a position past the end of an epoch
 * is rejected, which catches most changes to the data or batch size.
 *
 * <pre>{@code
 * Batcher batcher = new Batcher(train, BatchConfig.shuffled(16, seed).withPadId(tokenizer.padId()));
 * BatchPosition start = checkpoint == null ? BatchPosition.START : checkpoint.position();
 * for (Batch batch : batcher.from(start, epochs)) {
 *   step(batch);
 *   save(batcher.after(batch.position()));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: it caches the order of the epoch it is in.
 */
public final class Batcher {
  /** Names the shuffle's sub-stream of the run seed ("shuffle" in ASCII), so it is independent of init and dropout. */
  public static final long SHUFFLE_STREAM = 0x73687566666C65L;

  private final Dataset data;
  private final BatchConfig config;
  private final int batchesPerEpoch;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  public Batcher(Dataset data, BatchConfig config) {
    this.data = data;
    this.config = config;
    int n = data.size();
    int size = config.batchSize();
    this.batchesPerEpoch = config.dropLast() ? n / size : (n + size - 1) / size;
    if (batchesPerEpoch == 0) {
      throw new DataException(data.source() + ": batch size " + size + " with dropLast leaves no batch from "
          + n + " examples");
    }
  }

  public Dataset data() {
    return data;
  }

  public BatchConfig config() {
    return config;
  }

  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** The order in which epoch {@code epoch} visits the examples: a permutation of 0..n-1 (a fresh copy). */
  public int[] order(int epoch) {
    return orderOf(epoch).clone();
  }

  /** The batch at {@code position}, computed from the position alone. */
  public Batch batch(BatchPosition position) {
    if (position.batchIndex() >= batchesPerEpoch) {
      throw new IllegalArgumentException("batch position " + position + " is past the " + batchesPerEpoch
          + " batches of an epoch");
    }
    int[] order = orderOf(position.epoch());
    int from = position.batchIndex() * config.batchSize();
    int to = Math.min(from + config.batchSize(), order.length);
    return BatchBuilder.build(data, Arrays.copyOfRange(order, from, to), position, config);
  }

  /** The position that follows {@code position}: the next batch, or the first of the next epoch. */
  public BatchPosition after(BatchPosition position) {
    return position.batchIndex() + 1 < batchesPerEpoch
        ? new BatchPosition(position.epoch(), position.batchIndex() + 1)
        : new BatchPosition(position.epoch() + 1, 0);
  }

  /** All batches of one epoch, in order. */
  public Iterable<Batch> epoch(int epoch) {
    return from(new BatchPosition(epoch, 0), epoch + 1);
  }

  /**
   * The batches from {@code start} up to the end of epoch {@code endEpoch - 1}: the rest of a training run of
   * {@code endEpoch} epochs. {@code start} may be the end of an epoch (batch index = batches per epoch), which is
   * the start of the next.
   *
   * @throws IllegalArgumentException if {@code start} lies past the end of an epoch (the data or batch size changed)
   */
  public Iterable<Batch> from(BatchPosition start, int endEpoch) {
    if (start.batchIndex() > batchesPerEpoch) {
      throw new IllegalArgumentException("resume position " + start + " is past the " + batchesPerEpoch
          + " batches of an epoch of " + data.source() + "; did the data or batch size change since the checkpoint?");
    }
    BatchPosition first = start.batchIndex() == batchesPerEpoch ? new BatchPosition(start.epoch() + 1, 0) : start;
    return () -> new Iterator<>() {
      private BatchPosition next = first;

      @Override
      public boolean hasNext() {
        return next.epoch() < endEpoch;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("no batch after epoch " + (endEpoch - 1));
        Batch batch = batch(next);
        next = after(next);
        return batch;
      }
    };
  }

  private int[] orderOf(int epoch) {
    if (epoch != cachedEpoch) {
      int n = data.size();
      if (config.shuffle()) {
        cachedOrder = Rng.derive(config.seed(), SHUFFLE_STREAM, epoch).permutation(n);
      } else {
        cachedOrder = new int[n];
        Arrays.setAll(cachedOrder, i -> i);
      }
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
