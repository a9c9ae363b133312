package org.ptlab.spark;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/** Test-only "T0": an exclusive experiment that records how many of its runs overlap and on which threads. */
public final class ExclusiveProbeExperiment implements Experiment {
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger maxInFlight = new AtomicInteger();
  static final Set<String> threads = ConcurrentHashMap.newKeySet();

  static void reset() {
    inFlight.set(0);
    maxInFlight.set(0);
    threads.clear();
  }

  @Override public String id() { return "T0"; }
  @Override public String title() { return "test probe: exclusive runs"; }
  @Override public String paper() { return "none"; }
  @Override public String explanation() { return "test only"; }
  @Override public boolean exclusive() { return true; }
  @Override public int repeats(GridSize size) { return 1; }
  @Override public List<FigureSpec> figures(Results results) { return List.of(); }
  @Override public List<Claim> claims(Results results) { return List.of(); }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    return List.of(GridPoint.config("i", 0), GridPoint.config("i", 1), GridPoint.config("i", 2),
        GridPoint.config("i", 3));
  }

  @Override
  public RunOutput run(RunContext ctx) throws InterruptedException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    threads.add(Thread.currentThread().getName());
    Thread.sleep(50);
    inFlight.decrementAndGet();
    return RunOutput.of(Map.of("i", ctx.intParam("i")));
  }
}
