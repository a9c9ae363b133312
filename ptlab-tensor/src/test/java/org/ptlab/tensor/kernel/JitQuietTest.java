package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JitQuietTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a wait that never ends, not a speed check
  void runsTheRoundAtLeastOnceAndEnds() {
    AtomicInteger rounds = new AtomicInteger();
    JitQuiet.await(0.5, rounds::incrementAndGet);
    assertTrue(rounds.get() >= 1, "ran " + rounds.get() + " rounds");
  }

  @Test
  void noTimeMeansNoRounds() {
    AtomicInteger rounds = new AtomicInteger();
    JitQuiet.await(0, rounds::incrementAndGet);
    JitQuiet.await(Double.NaN, rounds::incrementAndGet);
    assertEquals(0, rounds.get());
  }
}
