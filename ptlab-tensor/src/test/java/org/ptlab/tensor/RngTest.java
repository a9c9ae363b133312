package org.ptlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

class RngTest {
  @Test
  void sameSeedSameStream() {
    Rng a = new Rng(7);
    Rng b = new Rng(7);
    for (int i = 0; i < 100; i++) assertEquals(a.nextLong(), b.nextLong());
    assertNotEquals(new Rng(7).nextLong(), new Rng(8).nextLong());
  }

  @Test
  void stateRestoresExactlyIncludingCachedGaussian() {
    Rng a = new Rng(3);
    a.nextGaussian(); // leaves one Gaussian cached
    long[] st = a.state();
    double[] expect = {a.nextGaussian(), a.nextDouble(), a.nextGaussian()};
    Rng b = new Rng(99);
    b.restore(st);
    assertArrayEquals(expect, new double[] {b.nextGaussian(), b.nextDouble(), b.nextGaussian()});
  }

  @Test
  void momentsAreRight() {
    Rng r = new Rng(11);
    int n = 200_000;
    double s = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian();
      s += g;
      s2 += g * g;
    }
    assertEquals(0, s / n, 0.01);
    assertEquals(1, s2 / n, 0.01);
    int[] counts = new int[5];
    for (int i = 0; i < n; i++) counts[r.nextInt(5)]++;
    for (int c : counts) assertEquals(n / 5.0, c, n * 0.005);
  }

  @Test
  void derivedStreamsAreIndependentOfUse() {
    assertEquals(Rng.derive(5, 1, 2).nextLong(), Rng.derive(5, 1, 2).nextLong());
    assertNotEquals(Rng.derive(5, 1, 2).nextLong(), Rng.derive(5, 2, 1).nextLong());
  }
}
