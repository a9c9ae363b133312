package org.ptlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.Experiments;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.reproduce.Reproduce;
import org.ptlab.lab.run.InProcessExecutor;
import org.ptlab.lab.run.Progress;
import org.ptlab.lab.run.RunExecutor;
import org.ptlab.lab.run.RunStore;

/** The same sweep through Spark ({@code local[2]}, one session for the class) and in-process gives the same table. */
class SparkRunExecutorTest {
  private static SparkRunExecutor spark;

  @BeforeAll
  static void start() {
    spark = new SparkRunExecutor("local[2]", 2);
  }

  @AfterAll
  static void stop() {
    spark.close();
  }

  private static Reproduce.Options options(String ids, Path out) {
    List<Experiment> exps = Experiments.select(Experiments.all(), ids);
    return new Reproduce.Options(GridSize.SMOKE, exps, out, 2, new Progress(System.err, false));
  }

  /** The CSV minus its wall-time column ({@code seconds}: the one cell that may differ between two executions). */
  static String withoutSeconds(String csv) {
    return csv.replaceAll("(?m),[0-9]+\\.[0-9]{3},([^,\\n]*)$", ",,$1");
  }

  @Test
  void sameSeedsSameResultsCsv(@TempDir Path dir) throws Exception {
    Reproduce.Outcome viaSpark = Reproduce.run(options("E1", dir.resolve("spark")), spark);
    try (RunExecutor local = new InProcessExecutor(2)) {
      Reproduce.run(options("E1", dir.resolve("local")), local);
    }
    assertFalse(viaSpark.anyRunFailed());
    String a = Files.readString(dir.resolve("spark/results/E1.csv"));
    String b = Files.readString(dir.resolve("local/results/E1.csv"));
    assertTrue(a.lines().count() > 1, a);
    assertEquals(withoutSeconds(b), withoutSeconds(a));
    // Metrics are stored as the same JSON text, byte for byte.
    try (RunStore sa = RunStore.open(dir.resolve("spark/runs.sqlite"));
        RunStore sb = RunStore.open(dir.resolve("local/runs.sqlite"))) {
      Map<String, Map<String, Object>> ma = metrics(sa.runs("E1"));
      assertEquals(metrics(sb.runs("E1")), ma);
    }
    // Resume: a second sweep through Spark runs nothing and stores nothing twice.
    Reproduce.Outcome again = Reproduce.run(options("E1", dir.resolve("spark")), spark);
    assertEquals(0, again.summaries().get(0).ran());
    try (RunStore sa = RunStore.open(dir.resolve("spark/runs.sqlite"))) {
      assertEquals(viaSpark.summaries().get(0).total(), sa.runs("E1").size());
    }
  }

  @Test
  void exclusiveRunsStayOnTheDriverOneAtATimeAndRecordTheHost(@TempDir Path dir) throws Exception {
    ExclusiveProbeExperiment.reset();
    Reproduce.run(options("T0", dir), spark);
    assertEquals(1, ExclusiveProbeExperiment.maxInFlight.get());
    assertTrue(ExclusiveProbeExperiment.threads.stream().allMatch(t -> t.startsWith("ptlab-spark-driver-run-")),
        ExclusiveProbeExperiment.threads.toString());
    try (RunStore s = RunStore.open(dir.resolve("runs.sqlite"))) {
      List<RunRecord> runs = s.runs("T0");
      assertEquals(4, runs.size());
      for (RunRecord r : runs) assertEquals(InProcessExecutor.host(), r.artifacts().get("timed_on"));
    }
  }

  private static Map<String, Map<String, Object>> metrics(List<RunRecord> runs) {
    Map<String, Map<String, Object>> m = new java.util.TreeMap<>();
    for (RunRecord r : runs) m.put(r.configHash() + "#" + r.repeat(), r.metrics());
    return m;
  }
}
