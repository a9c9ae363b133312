package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Sizes, coverage and seed determinism of train/validation splits. */
class SplitsTest {
  /** Token ids = {index}, so an example's identity is its first token. */
  static List<Integer> ids(Dataset d) {
    List<Integer> out = new ArrayList<>();
    for (Example ex : d.examples()) out.add(ex.tokens()[0]);
    return out;
  }

  static Dataset numbered(int n) {
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < n; i++) list.add(Example.ofTokens(new int[] {i}, i % 4));
    return Dataset.of("numbered", list);
  }

  @Test
  void sizesFollowTheFractionAndEachSideKeepsOne() {
    assertEquals(8, Splits.trainValidation(numbered(10), 0.2, 1).train().size());
    assertEquals(2, Splits.trainValidation(numbered(10), 0.2, 1).validation().size());
    assertEquals(1, Splits.trainValidation(numbered(7), 0.2, 1).validation().size()); // round(1.4)
    assertEquals(1, Splits.trainValidation(numbered(2), 0.01, 1).validation().size());
    assertEquals(1, Splits.trainValidation(numbered(2), 0.99, 1).train().size());
  }

  @Test
  void disjointCoveringInFileOrder() {
    Splits.Split s = Splits.trainValidation(numbered(50), 0.3, 9);
    TreeSet<Integer> all = new TreeSet<>(ids(s.train()));
    all.addAll(ids(s.validation()));
    assertEquals(50, all.size());
    assertEquals(new ArrayList<>(new TreeSet<>(ids(s.train()))), ids(s.train()));
    assertEquals(4, s.validation().numClasses());
  }

  @Test
  void deterministicInTheSeed() {
    Dataset d = numbered(100);
    List<Integer> a = ids(Splits.trainValidation(d, 0.2, 5).validation());
    assertEquals(a, ids(Splits.trainValidation(d, 0.2, 5).validation()));
    assertFalse(a.equals(ids(Splits.trainValidation(d, 0.2, 6).validation())));
  }

  @Test
  void badFractionOrTooFewExamples() {
    assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(numbered(10), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(numbered(10), 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(numbered(10), Double.NaN, 1));
    assertEquals("numbered: cannot split 1 example into train and validation",
        assertThrows(DataException.class, () -> Splits.trainValidation(numbered(1), 0.5, 1)).getMessage());
  }
}
