package org.ptlab.lab.run;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * The driver of one experiment's sweep: plans its runs, skips those the store has as done, keeps the executor's
 * slots busy, and stores each outcome as it arrives (so a kill loses at most the runs in flight). All store writes
 * happen on the calling thread.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * What a sweep did.
   *
   * @param total runs in the grid
   * @param skipped already done in the store, not recomputed
   * @param ran executed now
   * @param errors of those, how many failed
   * @param seconds wall time of this sweep
   */
  public record Summary(String experimentId, int total, int skipped, int ran, int errors, double seconds) {}

  /** Runs every missing run of {@code e} at {@code size}; returns when all are stored. */
  public static Summary run(Experiment e, GridSize size, RunStore store, RunExecutor executor, Provenance prov,
      Progress progress) throws SQLException, InterruptedException {
    long t0 = System.nanoTime();
    List<RunTask> plan = RunTask.plan(e, size);
    Set<String> done = store.doneKeys(e.id());
    ArrayDeque<RunTask> pending = new ArrayDeque<>();
    for (RunTask t : plan) if (!done.contains(t.key())) pending.add(t);
    int skipped = plan.size() - pending.size();
    progress.start(e.id(), plan.size(), skipped);

    BlockingQueue<RunOutcome> arrived = new LinkedBlockingQueue<>();
    Set<String> inFlight = new HashSet<>();
    int ran = 0;
    int errors = 0;
    int slots = e.exclusive() ? 1 : executor.slots(); // a timed run has the machine alone
    while (!pending.isEmpty() || !inFlight.isEmpty()) {
      while (inFlight.size() < slots && !pending.isEmpty()) {
        RunTask t = pending.poll();
        store.markRunning(t, prov, executor.threads(), Instant.now());
        inFlight.add(t.key());
        executor.submit(e, t, arrived::add);
      }
      RunOutcome o = arrived.take();
      if (!inFlight.remove(o.task().key())) continue; // a second delivery of a run already stored
      store.finish(o, prov, executor.threads());
      ran++;
      if (!o.ok()) errors++;
      progress.tick(!o.ok());
    }
    progress.finish();
    return new Summary(e.id(), plan.size(), skipped, ran, errors, (System.nanoTime() - t0) / 1e9);
  }

  /** The stored runs of {@code e} that belong to its grid at {@code size}, in grid order. */
  public static Results results(Experiment e, GridSize size, RunStore store) throws SQLException {
    Map<String, RunRecord> byKey = new HashMap<>();
    for (RunRecord r : store.runs(e.id())) byKey.put(RunTask.key(r.configHash(), r.repeat()), r);
    List<RunRecord> ordered = new ArrayList<>();
    for (RunTask t : RunTask.plan(e, size)) {
      RunRecord r = byKey.get(t.key());
      if (r != null) ordered.add(r);
    }
    return new Results(e.id(), size, ordered);
  }
}
