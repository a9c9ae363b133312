package org.ptlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunRecord;
import org.ptlab.tensor.random.Rng;

/**
 * The crash test of the issue: a child JVM sweeps into the store, is killed with SIGKILL part-way, and a second child
 * finishes the sweep. Afterwards every run of the grid is stored exactly once, done, with the value its seed gives,
 * and the runs finished before the kill were not recomputed (they still carry the first child's pid).
 */
class KillResumeTest {
  static final int CONFIGS = 40; // × 2 repeats = 80 runs
  static final int SLEEP_MS = 60; // ≈ 2.4 s for the whole sweep on 2 threads

  @Test
  void killedSweepResumesWithNoLostAndNoDuplicatedRows(@TempDir Path dir) throws Exception {
    int total = CONFIGS * 2;
    Process first = child(dir, "first");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (doneCount(dir) < 10) {
      assertTrue(first.isAlive(), "the child ended before it could be killed: " + output(dir, "first"));
      assertTrue(System.nanoTime() < deadline, "no runs stored after 60 s");
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
    assertTrue(first.waitFor(20, TimeUnit.SECONDS));
    Map<String, Long> pidsBefore = donePids(dir);
    assertTrue(pidsBefore.size() >= 10 && pidsBefore.size() < total,
        "expected a kill mid-sweep, found " + pidsBefore.size() + " of " + total + " done");

    Process second = child(dir, "second");
    assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the resumed sweep did not finish");
    String out = output(dir, "second");
    assertEquals(0, second.exitValue(), out);
    assertTrue(out.contains("done ran=" + (total - pidsBefore.size()) + " skipped=" + pidsBefore.size()), out);

    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite"))) {
      List<RunRecord> rows = store.runs("T1");
      assertEquals(total, rows.size(), "one row per run, none lost, none duplicated");
      Map<String, RunRecord> byKey = new HashMap<>();
      for (RunRecord r : rows) byKey.put(RunTask.key(r.configHash(), r.repeat()), r);
      assertEquals(total, byKey.size());
      for (RunTask t : RunTask.plan(new CountingExperiment(CONFIGS, 0, -1), GridSize.QUICK)) {
        RunRecord r = byKey.get(t.key());
        assertEquals(RunRecord.DONE, r.status(), t.key());
        assertEquals(new Rng(t.seed()).nextDouble(), r.metric("value"), t.key());
        Long before = pidsBefore.get(t.key());
        if (before != null) assertEquals(before.doubleValue(), r.metric("pid"), "recomputed " + t.key());
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.sqlite"));
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      assertEquals("ok", rs.getString(1));
    }
  }

  /** Starts a child sweeping into {@code dir}; its output goes to {@code dir/name.log}. */
  private static Process child(Path dir, String name) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.createDirectories(dir.resolve("native"));
    // sqlite-jdbc unpacks its native library into the temp folder and a SIGKILLed JVM leaves it there (1 MB,
    // distributed.md §3): point it at the test's own folder, which JUnit deletes.
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
        "-Dorg.sqlite.tmpdir=" + dir.resolve("native"), "-cp", System.getProperty("java.class.path"), KillChild.class.getName(), dir.toString(),
        Integer.toString(CONFIGS), Integer.toString(SLEEP_MS)));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  private static String output(Path dir, String name) throws Exception {
    return Files.readString(dir.resolve(name + ".log"));
  }

  private static long doneCount(Path dir) throws SQLException {
    if (!Files.exists(dir.resolve("runs.sqlite"))) return 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.sqlite"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runs WHERE status = 'done'")) {
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("no such table")) return 0; // the child has not created it yet
      throw e;
    }
  }

  private static Map<String, Long> donePids(Path dir) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (RunStore store = RunStore.open(dir.resolve("runs.sqlite"))) {
      for (RunRecord r : store.runs("T1")) {
        if (r.done()) out.put(RunTask.key(r.configHash(), r.repeat()), (long) r.metric("pid"));
      }
    }
    return out;
  }
}
