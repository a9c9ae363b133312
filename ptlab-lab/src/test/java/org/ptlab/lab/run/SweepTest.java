package org.ptlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** The run store and the driver: skip and resume, retries of errors, duplicate deliveries, thread independence. */
class SweepTest {
  private static Sweep.Summary sweep(Experiment e, RunStore store, RunExecutor ex) throws Exception {
    return Sweep.run(e, GridSize.QUICK, store, ex, Provenance.current(), Progress.quiet());
  }

  @Test
  void finishedRunsAreSkippedOnTheSecondSweep(@TempDir Path dir) throws Exception {
    CountingExperiment e = new CountingExperiment(5, 0, -1);
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite")); InProcessExecutor ex = new InProcessExecutor(2)) {
      Sweep.Summary first = sweep(e, store, ex);
      assertEquals(new Sweep.Summary("T1", 10, 0, 10, 0, first.seconds()), first);
      List<RunRecord> before = store.runs("T1");
      Sweep.Summary second = sweep(e, store, ex);
      assertEquals(0, second.ran());
      assertEquals(10, second.skipped());
      assertEquals(before.toString(), store.runs("T1").toString(), "a finished run is never rewritten");
    }
  }

  @Test
  void aResumedSweepRunsOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite")); InProcessExecutor ex = new InProcessExecutor(2)) {
      sweep(new CountingExperiment(3, 0, -1), store, ex); // an earlier, smaller grid: configs 0..2
      Sweep.Summary grown = sweep(new CountingExperiment(5, 0, -1), store, ex);
      assertEquals(6, grown.skipped());
      assertEquals(4, grown.ran());
      assertEquals(10, store.runs("T1").size());
    }
  }

  @Test
  void erroredRunsAreStoredWithTheirMessageAndRetried(@TempDir Path dir) throws Exception {
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite")); InProcessExecutor ex = new InProcessExecutor(2)) {
      Sweep.Summary s = sweep(new CountingExperiment(4, 0, 2), store, ex);
      assertEquals(2, s.errors());
      Results r = Sweep.results(new CountingExperiment(4, 0, 2), GridSize.QUICK, store);
      List<RunRecord> failed = r.runs().stream().filter(x -> !x.done()).toList();
      assertEquals(2, failed.size());
      assertTrue(failed.get(0).error().contains("fails on purpose"), failed.get(0).error());
      assertEquals(RunRecord.ERROR, failed.get(0).status());
      Sweep.Summary fixed = sweep(new CountingExperiment(4, 0, -1), store, ex); // the bug is fixed: retry
      assertEquals(2, fixed.ran());
      assertEquals(0, fixed.errors());
      assertTrue(store.runs("T1").stream().allMatch(RunRecord::done));
    }
  }

  @Test
  void aRunDeliveredTwiceIsStoredOnce(@TempDir Path dir) throws Exception {
    RunExecutor twice = new RunExecutor() { // a cluster that retries every task after it succeeded
      @Override
      public int slots() {
        return 3;
      }

      @Override
      public void submit(Experiment experiment, RunTask task, Consumer<RunOutcome> sink) {
        RunOutcome o = InProcessExecutor.execute(experiment, task);
        sink.accept(o);
        sink.accept(new RunOutcome(task, o.output(), "late duplicate that must be ignored", o.startedAt(),
            o.endedAt()));
      }

      @Override
      public int threads() {
        return 1;
      }

      @Override
      public void close() {}
    };
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite"))) {
      Sweep.Summary s = sweep(new CountingExperiment(4, 0, -1), store, twice);
      assertEquals(8, s.ran());
      assertEquals(0, s.errors());
      List<RunRecord> rows = store.runs("T1");
      assertEquals(8, rows.size());
      assertTrue(rows.stream().allMatch(RunRecord::done));
      // and directly: the store refuses to overwrite a done run
      RunTask t = RunTask.plan(new CountingExperiment(4, 0, -1), GridSize.QUICK).get(0);
      assertFalse(store.finish(new RunOutcome(t, null, "boom", null, null), Provenance.current(), 1));
      assertEquals(RunRecord.DONE, store.runs("T1").stream()
          .filter(r -> r.configHash().equals(t.configHash()) && r.repeat() == 0).findFirst().get().status());
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadCount(@TempDir Path dir) throws Exception {
    CountingExperiment e = new CountingExperiment(6, 3, -1);
    String[] metrics = new String[2];
    int[] threads = {1, 3};
    for (int i = 0; i < 2; i++) {
      try (RunStore store = RunStore.open(dir.resolve("runs-" + i + ".sqlite"));
          InProcessExecutor ex = new InProcessExecutor(threads[i])) {
        sweep(e, store, ex);
        metrics[i] = Sweep.results(e, GridSize.QUICK, store).runs().stream()
            .map(r -> r.configHash() + r.repeat() + r.seed() + r.metrics().get("value") + r.metrics().get("task_value"))
            .toList().toString();
      }
    }
    assertEquals(metrics[0], metrics[1]);
  }

  @Test
  void seedsDependOnConfigAndRepeatButTaskSeedsOnlyOnRepeat() {
    List<RunTask> plan = RunTask.plan(new CountingExperiment(3, 0, -1), GridSize.QUICK);
    assertEquals(6, plan.size());
    assertEquals(6, plan.stream().mapToLong(RunTask::seed).distinct().count());
    assertEquals(2, plan.stream().mapToLong(RunTask::taskSeed).distinct().count());
    assertEquals(plan.toString(), RunTask.plan(new CountingExperiment(3, 0, -1), GridSize.QUICK).toString());
  }
}
