package org.ptlab.tuning.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ptlab.io.data.Dataset;

/** Order and resume hold for any dataset size, batch size, seed and interruption point. */
class BatcherProperties {
  @Property(tries = 200)
  void everyEpochIsAPermutation(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1000) int epoch) {
    int[] order = new Batcher(BatcherTest.tokens(n), BatchConfig.shuffled(1, seed)).order(epoch);
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    int[] identity = new int[n];
    Arrays.setAll(identity, i -> i);
    assertArrayEquals(identity, sorted);
  }

  @Property(tries = 200)
  void resumeEqualsUninterrupted(@ForAll @IntRange(min = 1, max = 30) int n,
      @ForAll @IntRange(min = 1, max = 8) int batchSize, @ForAll boolean dropLast, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int epochs, @ForAll @IntRange(min = 0, max = 100) int cut) {
    if (dropLast && batchSize > n) return; // no batch at all: rejected, tested elsewhere
    Dataset d = BatcherTest.tokens(n);
    BatchConfig config = BatchConfig.shuffled(batchSize, seed).withDropLast(dropLast);
    Batcher first = new Batcher(d, config);
    List<int[]> all = BatcherTest.indices(first.from(BatchPosition.START, epochs));
    assertEquals(epochs * first.batchesPerEpoch(), all.size());
    int done = Math.min(cut, all.size());
    BatchPosition saved = BatchPosition.START;
    for (int i = 0; i < done; i++) saved = first.after(saved);
    BatcherTest.assertSame(all.subList(done, all.size()), BatcherTest.indices(new Batcher(d, config).from(saved, epochs)));
  }
}
