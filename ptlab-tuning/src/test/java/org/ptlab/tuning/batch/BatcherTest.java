package org.ptlab.tuning.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.io.data.DataException;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Splits;
import org.ptlab.io.data.Target;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/** Seeded order, resume from a position, padding and masks. */
class BatcherTest {
  /** n token examples of lengths 1..5 (cycling), label = index % 3. */
  static Dataset tokens(int n) {
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] ids = new int[1 + i % 5];
      Arrays.fill(ids, 10 + i);
      list.add(Example.ofTokens(ids, i % 3));
    }
    return Dataset.of("tokens", list);
  }

  static List<int[]> indices(Iterable<Batch> batches) {
    List<int[]> out = new ArrayList<>();
    for (Batch b : batches) out.add(b.indices());
    return out;
  }

  static void assertSame(List<int[]> expected, List<int[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "batch " + i);
  }

  @Test
  void eachEpochIsAPermutationCoveredOnceByItsBatches() {
    Batcher batcher = new Batcher(tokens(23), BatchConfig.shuffled(5, 7));
    assertEquals(5, batcher.batchesPerEpoch());
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] seen = new int[23];
      for (Batch b : batcher.epoch(epoch)) for (int i : b.indices()) seen[i]++;
      int[] ones = new int[23];
      Arrays.fill(ones, 1);
      assertArrayEquals(ones, seen);
    }
  }

  @Test
  void sameSeedSameBatchesOtherSeedOrEpochOtherOrder() {
    Dataset d = tokens(40);
    int[] a = new Batcher(d, BatchConfig.shuffled(8, 42)).order(0);
    assertArrayEquals(a, new Batcher(d, BatchConfig.shuffled(8, 42)).order(0));
    assertFalse(Arrays.equals(a, new Batcher(d, BatchConfig.shuffled(8, 43)).order(0)));
    assertFalse(Arrays.equals(a, new Batcher(d, BatchConfig.shuffled(8, 42)).order(1)));
    // the order depends on (seed, epoch) only, not on the batch size
    assertArrayEquals(a, new Batcher(d, BatchConfig.shuffled(3, 42)).order(0));
  }

  @Test
  void resumingFromAnySavedPositionGivesTheRemainingBatchesOfAnUninterruptedRun() {
    Dataset d = tokens(11);
    BatchConfig config = BatchConfig.shuffled(4, 2024);
    Batcher whole = new Batcher(d, config);
    List<int[]> uninterrupted = indices(whole.from(BatchPosition.START, 3));
    assertEquals(9, uninterrupted.size());
    BatchPosition saved = BatchPosition.START;
    for (int done = 0; done <= uninterrupted.size(); done++) {
      List<int[]> resumed = indices(new Batcher(d, config).from(saved, 3)); // a fresh process: no state but the position
      assertSame(uninterrupted.subList(done, uninterrupted.size()), resumed);
      saved = whole.after(saved);
    }
  }

  @Test
  void positionsAdvanceAcrossEpochsAndRejectOutOfRange() {
    Batcher b = new Batcher(tokens(10), BatchConfig.shuffled(4, 1));
    assertEquals(new BatchPosition(0, 2), b.after(new BatchPosition(0, 1)));
    assertEquals(new BatchPosition(1, 0), b.after(new BatchPosition(0, 2)));
    // the end of an epoch is the start of the next
    assertSame(indices(b.epoch(1)), indices(b.from(new BatchPosition(0, 3), 2)));
    assertThrows(IllegalArgumentException.class, () -> b.from(new BatchPosition(0, 4), 2));
    assertThrows(IllegalArgumentException.class, () -> b.batch(new BatchPosition(0, 3)));
    assertThrows(IllegalArgumentException.class, () -> new BatchPosition(-1, 0));
  }

  @Test
  void lastPartialBatchKeptOrDropped() {
    Dataset d = tokens(10);
    Batcher keep = new Batcher(d, BatchConfig.inOrder(4));
    assertEquals(List.of(4, 4, 2), indices(keep.epoch(0)).stream().map(a -> a.length).toList());
    Batcher drop = new Batcher(d, BatchConfig.inOrder(4).withDropLast(true));
    assertEquals(List.of(4, 4), indices(drop.epoch(0)).stream().map(a -> a.length).toList());
    assertThrows(DataException.class, () -> new Batcher(d, BatchConfig.inOrder(11).withDropLast(true)));
    assertArrayEquals(new int[] {0, 1, 2, 3}, keep.batch(new BatchPosition(5, 0)).indices()); // no shuffle
  }

  @Test
  void tokenBatchIsRightPaddedWithPadIdAndMasked() {
    Dataset d = Dataset.of("t", List.of(
        Example.ofTokens(new int[] {5, 6, 7}, 1), Example.ofTokens(new int[] {8}, 0), Example.ofTokens(new int[] {9, 4}, 2)));
    Batch b = new Batcher(d, BatchConfig.inOrder(3).withPadId(99).withDType(DType.F64)).batch(BatchPosition.START);
    assertEquals(3, b.size());
    assertEquals(3, b.seqLen());
    assertArrayEquals(new int[][] {{5, 6, 7}, {8, 99, 99}, {9, 4, 99}}, b.tokens());
    assertArrayEquals(new int[] {3, 1, 2}, b.lengths());
    assertEquals(DType.F64, b.mask().dtype());
    assertArrayEquals(new int[] {3, 3}, b.mask().shape());
    assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0, 1, 1, 0}, b.mask().toDoubleArray());
    assertArrayEquals(new int[] {1, 0, 2}, b.labels());
    assertNull(b.inputs());
    assertNull(b.targets());
    // padded to the longest in the batch, not in the dataset
    Batch pair = new Batcher(d, BatchConfig.inOrder(2)).batch(new BatchPosition(0, 1));
    assertArrayEquals(new int[][] {{9, 4}}, pair.tokens());
  }

  @Test
  void inputBatchIsZeroPaddedWithPerPositionTargets() {
    Dataset d = Dataset.of("v", List.of(
        Example.ofInputs(new double[][] {{1, 2}}, new Target.PerPosition(new double[] {7}, 1, 1)),
        Example.ofInputs(new double[][] {{3, 4}, {5, 6}}, new Target.PerPosition(new double[] {8, 9}, 2, 1))));
    for (DType dtype : DType.values()) {
      Batch b = new Batcher(d, BatchConfig.inOrder(2).withDType(dtype)).batch(BatchPosition.START);
      Tensor in = b.inputs();
      assertEquals(dtype, in.dtype());
      assertArrayEquals(new int[] {2, 2, 2}, in.shape());
      assertArrayEquals(new double[] {1, 2, 0, 0, 3, 4, 5, 6}, in.toDoubleArray());
      assertArrayEquals(new double[] {1, 0, 1, 1}, b.mask().toDoubleArray());
      assertEquals(dtype, b.mask().dtype());
      assertArrayEquals(new int[] {2, 2, 1}, b.targets().shape());
      assertArrayEquals(new double[] {7, 0, 8, 9}, b.targets().toDoubleArray());
      assertNull(b.tokens());
      assertNull(b.labels());
    }
  }

  @Test
  void perSequenceTargetsAreOneRowPerExample() {
    Dataset d = Dataset.of("s", List.of(
        Example.ofTokens(new int[] {1, 2}, new Target.PerSequence(new double[] {0.5, 1.5})),
        Example.ofTokens(new int[] {3}, new Target.PerSequence(new double[] {-1, 2}))));
    Batch b = new Batcher(d, BatchConfig.inOrder(2).withDType(DType.F64)).batch(BatchPosition.START);
    assertArrayEquals(new int[] {2, 2}, b.targets().shape());
    assertArrayEquals(new double[] {0.5, 1.5, -1, 2}, b.targets().toDoubleArray());
  }

  @Test
  void batchConfigRejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> BatchConfig.shuffled(0, 1));
    assertThrows(IllegalArgumentException.class, () -> BatchConfig.inOrder(2).withPadId(-1));
    assertThrows(IllegalArgumentException.class, () -> BatchConfig.inOrder(2).withDType(null));
  }

  @Test
  void splitIsIndependentOfTheShuffleOfTheSameSeed() {
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < 100; i++) list.add(Example.ofTokens(new int[] {i}, i % 4));
    Dataset d = Dataset.of("numbered", list);
    int[] validation = Splits.trainValidation(d, 0.2, 5).validation().examples().stream()
        .mapToInt(ex -> ex.tokens()[0]).toArray();
    // validation is not simply the first batch of epoch 0 of the Batcher with the same seed
    int[] epoch0 = new Batcher(d, BatchConfig.shuffled(20, 5)).order(0);
    int[] firstBatch = Arrays.stream(epoch0, 0, 20).sorted().toArray();
    assertFalse(Arrays.equals(firstBatch, validation));
  }
}
