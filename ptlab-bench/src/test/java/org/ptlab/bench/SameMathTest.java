package org.ptlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark compares like with like: on the theory-size workloads PTLab and the libtorch peer start from the
 * same weights and give the same gradient and the same losses step by step (DESIGN.md: "check that both compute
 * the same thing"). Runs with {@code mvn -Pbench -pl ptlab-bench -am verify} (the module is outside the default
 * build: its peer pulls libtorch once from Maven Central).
 */
class SameMathTest {
  private static final int STEPS = 20;
  private static Peer peer;

  @BeforeAll
  static void start() {
    peer = Peer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  private static void sameMath(String name, double gradTolerance) {
    Workloads.Data data = Workloads.build(Workloads.byName(name), 7);
    double[] g;
    double[] ref;
    try (Workloads.Step ours = PtlabWorkloads.create(data);
        Workloads.Step theirs = TorchWorkloads.create(data, peer.manager())) {
      g = ours.gradient();
      ref = theirs.gradient();
    }
    assertEquals(ref.length, g.length, name + ": trainable sizes");
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < g.length; i++) {
      diff += (g[i] - ref[i]) * (g[i] - ref[i]);
      norm += ref[i] * ref[i];
    }
    assertTrue(Math.sqrt(diff / norm) <= gradTolerance, name + ": gradient rel diff " + Math.sqrt(diff / norm));
    try (Workloads.Step ours = PtlabWorkloads.create(data);
        Workloads.Step theirs = TorchWorkloads.create(data, peer.manager())) {
      for (int i = 0; i < STEPS; i++) {
        double a = ours.step();
        double b = theirs.step();
        double rel = Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-30);
        assertTrue(rel <= data.spec().lossTolerance(), name + " step " + i + ": " + a + " vs " + b);
      }
    }
  }

  @Test
  void tinyInFloat64IsTheSameToRounding() {
    sameMath("tiny64", 1e-10);
  }

  @Test
  void tinyAndSmallInFloat32AgreeToFloat32() {
    sameMath("tiny", 1e-4);
    sameMath("small", 1e-3);
  }

  @Test
  void sweepRunIsTheSameOnBothSidesToFloat64Rounding() throws Exception {
    SweepExperiment e = new SweepExperiment(2);
    java.util.List<org.ptlab.lab.run.RunTask> tasks = org.ptlab.lab.run.RunTask.plan(e, org.ptlab.lab.GridSize.QUICK);
    assertEquals(2, tasks.size());
    org.ptlab.lab.run.RunOutcome o = org.ptlab.lab.run.InProcessExecutor.execute(e, tasks.get(1));
    assertTrue(o.ok(), "run failed: " + o.error());
    java.util.List<?> ours = (java.util.List<?>) o.output().artifacts().get("losses");
    TorchSweep torch = new TorchSweep(e.construction(), peer.manager());
    double[] theirs;
    try {
      theirs = torch.run(TorchSweep.initialPrompt(e, tasks.get(1).seed()), SweepExperiment.STEPS, SweepExperiment.LR);
    } finally {
      torch.close();
    }
    assertEquals(SweepExperiment.STEPS, ours.size());
    for (int i = 0; i < theirs.length; i++) {
      double a = ((Number) ours.get(i)).doubleValue();
      assertEquals(theirs[i], a, 1e-12 * Math.abs(theirs[i]), "step " + i);
    }
    assertTrue(theirs[theirs.length - 1] < 0.9 * theirs[0], "the runs train: " + theirs[0] + " → "
        + theirs[theirs.length - 1]);
  }

  @Test
  void timingTakesTheMedianOfInterleavedSamples() {
    Timing.Result r = Timing.interleaved(java.util.List.of(new Timing.Contender("noop", () -> { }, () -> { })),
        Timing.Budget.steps(true, true)).get(0);
    assertTrue(r.medianMs() >= 0 && r.medianMs() < 5, "a no-op step takes " + r.medianMs() + " ms");
  }
}
