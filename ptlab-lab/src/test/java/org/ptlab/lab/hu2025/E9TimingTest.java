package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class E9TimingTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a wait that never ends, not a speed check
  void waitingForAQuietJitRunsEveryContenderAndEnds() {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    E9Timing.untilJitQuiet(0.5, a::incrementAndGet, b::incrementAndGet);
    assertTrue(a.get() >= 1, "first contender ran " + a.get() + " times");
    assertEquals(a.get(), b.get(), "contenders run in turn, as often each");
  }

  @Test
  void mediansTimeEveryContender() {
    AtomicInteger a = new AtomicInteger();
    double[] ms = E9Timing.medians(3, 0.01, a::incrementAndGet);
    assertEquals(1, ms.length);
    assertTrue(ms[0] >= 0, "a median time is not negative: " + ms[0]);
    assertTrue(a.get() >= 3 + 2, "warm-up and at least 3 timed runs, ran " + a.get());
  }
}
