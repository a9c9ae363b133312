package org.ptlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/** {@link Experiment#exclusive()}: no other run in flight while a timed run runs, and its host is recorded. */
class ExclusiveRunsTest {
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger overlapsWithExclusive = new AtomicInteger();
  static final AtomicInteger exclusiveInFlight = new AtomicInteger();

  /** Sleeps 20 ms; counts runs that overlap an exclusive run. */
  record Probe(String id, boolean exclusive) implements Experiment {
    public String title() { return "test probe"; }
    public String paper() { return "none"; }
    public String explanation() { return "test only"; }
    public List<Map<String, Object>> grid(GridSize size) { return List.of(GridPoint.config("i", 0)); }
    public int repeats(GridSize size) { return 1; }
    public List<FigureSpec> figures(Results results) { return List.of(); }
    public List<Claim> claims(Results results) { return List.of(); }

    public RunOutput run(RunContext ctx) throws InterruptedException {
      if (exclusive) exclusiveInFlight.incrementAndGet();
      int n = inFlight.incrementAndGet();
      if (exclusiveInFlight.get() > 0 && n > 1) overlapsWithExclusive.incrementAndGet();
      Thread.sleep(20);
      inFlight.decrementAndGet();
      if (exclusive) exclusiveInFlight.decrementAndGet();
      return RunOutput.of(Map.of("i", ctx.intParam("i")));
    }
  }

  @Test
  void anExclusiveRunHasThePoolAloneAndRecordsItsHost() throws Exception {
    Probe shared = new Probe("T2", false);
    Probe timed = new Probe("T3", true);
    RunTask sharedTask = RunTask.plan(shared, GridSize.SMOKE).get(0);
    RunTask timedTask = RunTask.plan(timed, GridSize.SMOKE).get(0);
    int runs = 24;
    CountDownLatch done = new CountDownLatch(runs);
    List<RunOutcome> timedOutcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (InProcessExecutor ex = new InProcessExecutor(4)) {
      for (int k = 0; k < runs; k++) {
        boolean isTimed = k % 3 == 0;
        ex.submit(isTimed ? timed : shared, isTimed ? timedTask : sharedTask, o -> {
          if (isTimed) timedOutcomes.add(o);
          done.countDown();
        });
      }
      done.await();
    }
    assertEquals(0, overlapsWithExclusive.get());
    assertEquals(8, timedOutcomes.size());
    for (RunOutcome o : timedOutcomes) {
      assertTrue(o.ok(), o.error());
      assertEquals(InProcessExecutor.host(), o.output().artifacts().get("timed_on"));
      assertFalse(o.output().metrics().containsKey("timed_on"), "metrics (the CSV) are unchanged");
    }
  }
}
