package org.ptlab.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.run.InProcessExecutor;
import org.ptlab.lab.run.RunOutcome;
import org.ptlab.lab.run.RunTask;

/**
 * The {@code sweep} item of {@code ptlab bench engine}: many independent E1-style runs ({@link SweepExperiment}), the
 * theory experiments' real workload, in runs per second. PTLab submits all of them to the lab's
 * {@link InProcessExecutor} on {@link #EXECUTOR_THREADS} runner threads; libtorch ({@link TorchSweep}) runs them one
 * after another at 1 and at 2 intra-op threads (DJL allows one gradient collector per JVM, so it cannot run two at
 * once), and its faster setting is reported.
 *
 * <p>Same math: run 0's loss curve (all {@link SweepExperiment#STEPS} steps) on both sides, from the same initial
 * prompt; {@code same_loss} when the largest relative difference is ≤ {@link #LOSS_TOL}. Timing: after a warm-up, in
 * {@code rounds} interleaved rounds (3; 1 with --quick), PTLab's whole sweep, then up to 40 (10) of the peer's runs
 * at each thread count, at most {@link #PEER_SECONDS} each (libtorch's 2-thread steps collapse under load); the
 * median of the rounds' rates is reported.
 */
final class SweepBench {
  static final String NAME = "sweep";
  /** Runs in PTLab's sweep (the 200). */
  static final int RUNS = 200;
  /** Runner threads of the lab's executor. */
  static final int EXECUTOR_THREADS = 2;
  /** As for the small workloads (float64 here: rounding alone gives ~1e-15). */
  static final double LOSS_TOL = 1e-4;
  /** Time cap of one peer measurement (one round at one thread count). */
  static final double PEER_SECONDS = 8;

  private SweepBench() {}

  static ObjectNode run(Peer peer, List<Integer> peerThreads, boolean quick, PrintStream log) throws Exception {
    log.printf("%s: building E1's construction…%n", NAME);
    SweepExperiment e = new SweepExperiment(RUNS);
    List<RunTask> tasks = RunTask.plan(e, GridSize.QUICK);
    int peerRuns = quick ? 10 : 40; // per round and thread count: at ~0.1 s a run, 200 would take minutes
    int rounds = quick ? 1 : 3;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", NAME);
    TorchSweep torch = new TorchSweep(e.construction(), peer.manager());
    try (InProcessExecutor executor = new InProcessExecutor(EXECUTOR_THREADS)) {
      log.printf("%s: checking that both sides compute the same losses…%n", NAME);
      RunOutcome[] first = sweep(e, tasks, executor);
      double[] ours = losses(first[0]);
      Peer.threads(1);
      double[] theirs = torch.run(TorchSweep.initialPrompt(e, tasks.get(0).seed()), SweepExperiment.STEPS,
          SweepExperiment.LR);
      double maxRel = 0;
      for (int i = 0; i < ours.length; i++) {
        maxRel = Math.max(maxRel, Math.abs(ours[i] - theirs[i])
            / Math.max(Math.max(Math.abs(ours[i]), Math.abs(theirs[i])), 1e-30));
      }
      boolean same = maxRel <= LOSS_TOL;
      if (!same || Boolean.getBoolean("ptlab.bench.losses")) {
        log.printf("%s losses of run 0 (%s, max rel diff %.3g):%n  PTLab    %s%n  libtorch %s%n", NAME,
            same ? "same" : "DIFFERENT", maxRel, Arrays.toString(ours), Arrays.toString(theirs));
      }
      // warm-up: the check's sweep warmed PTLab; a few peer runs at each setting
      for (int t : peerThreads) {
        Peer.threads(t);
        peerRate(torch, e, tasks, Math.max(2, peerRuns / 4), new int[1]);
      }
      double[] mine = new double[rounds];
      double[][] peerRates = new double[peerThreads.size()][rounds];
      int[][] peerTimed = new int[peerThreads.size()][1];
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        sweep(e, tasks, executor);
        mine[r] = tasks.size() / ((System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < peerThreads.size(); i++) {
          Peer.threads(peerThreads.get(i));
          peerRates[i][r] = peerRate(torch, e, tasks, peerRuns, peerTimed[i]);
        }
      }
      double ourRate = median(mine);
      int best = 0;
      for (int i = 1; i < peerThreads.size(); i++) if (median(peerRates[i]) > median(peerRates[best])) best = i;
      double theirRate = median(peerRates[best]);
      o.put("runs", tasks.size());
      o.put("steps_per_run", SweepExperiment.STEPS);
      o.put("executor_threads", EXECUTOR_THREADS);
      o.put("runs_per_s", round(ourRate));
      o.put("peer_runs_per_s", round(theirRate));
      o.put("speedup", round(ourRate / theirRate));
      o.put("ms_per_step", round(1000.0 * EXECUTOR_THREADS / (ourRate * SweepExperiment.STEPS)));
      o.put("peer_ms_per_step", round(1000.0 / (theirRate * SweepExperiment.STEPS)));
      o.put("same_loss", same);
      o.put("max_loss_rel_diff", round(maxRel));
      o.put("loss_rel_tol", LOSS_TOL);
      o.put("loss_first", round(ours[0]));
      o.put("loss_last", round(ours[ours.length - 1]));
      o.put("peer_threads", peerThreads.get(best));
      ObjectNode byThreads = o.putObject("peer_runs_per_s_by_threads");
      for (int i = 0; i < peerThreads.size(); i++) byThreads.put("" + peerThreads.get(i), round(median(peerRates[i])));
      o.put("peer_runs_timed", peerTimed[best][0]); // ≤ rounds·peerRuns: a round stops after PEER_SECONDS
      o.put("rounds", rounds);
      log.printf("%s: PTLab %.1f runs/s (%d runs on %d executor threads), libtorch %.2f runs/s (%d threads), "
          + "speed-up %.1f×, same loss %s (max rel diff %.2g)%n", NAME, ourRate, tasks.size(), EXECUTOR_THREADS,
          theirRate, peerThreads.get(best), ourRate / theirRate, same, maxRel);
    } finally {
      torch.close();
    }
    return o;
  }

  /** Every task through the executor; the outcomes by task index (a failed run is an error here). */
  private static RunOutcome[] sweep(SweepExperiment e, List<RunTask> tasks, InProcessExecutor executor)
      throws InterruptedException {
    RunOutcome[] out = new RunOutcome[tasks.size()];
    CountDownLatch done = new CountDownLatch(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      int at = i;
      executor.submit(e, tasks.get(i), o -> {
        out[at] = o;
        done.countDown();
      });
    }
    done.await();
    for (RunOutcome o : out) {
      if (!o.ok()) throw new IllegalStateException("sweep: run " + o.task().repeat() + " failed: " + o.error());
    }
    return out;
  }

  /**
   * The first {@code n} runs on the peer, one after another, or fewer once {@link #PEER_SECONDS} have passed (at
   * least one); runs per second. The cap matters under load, where libtorch's 2-thread steps collapse to tens of ms.
   */
  private static double peerRate(TorchSweep torch, SweepExperiment e, List<RunTask> tasks, int n, int[] timed) {
    long total = 0;
    long cap = (long) (PEER_SECONDS * 1e9);
    int i = 0;
    for (; i < n && (i == 0 || total < cap); i++) {
      var prompt = TorchSweep.initialPrompt(e, tasks.get(i % tasks.size()).seed()); // not timed
      long t0 = System.nanoTime();
      torch.run(prompt, SweepExperiment.STEPS, SweepExperiment.LR);
      total += System.nanoTime() - t0;
    }
    timed[0] += i;
    return i / (total / 1e9);
  }

  private static double[] losses(RunOutcome o) {
    List<?> curve = (List<?>) o.output().artifacts().get("losses");
    double[] out = new double[curve.size()];
    for (int i = 0; i < out.length; i++) out[i] = ((Number) curve.get(i)).doubleValue();
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  private static double round(double x) {
    return MatmulBench.round(x);
  }
}
