package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class E9TimingTest {
  @Test
  void mediansTimeEveryContenderInTurn() {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    double[] ms = E9Timing.medians(3, 0.01, a::incrementAndGet, b::incrementAndGet);
    assertEquals(2, ms.length);
    assertTrue(ms[0] >= 0 && ms[1] >= 0, "medians are not negative: " + ms[0] + ", " + ms[1]);
    assertTrue(a.get() >= 3 + 2, "warm-up and at least 3 timed runs, ran " + a.get());
    assertTrue(b.get() >= 3 + 2, "warm-up and at least 3 timed runs, ran " + b.get());
  }
}
