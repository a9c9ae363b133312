package org.ptlab.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.ExactAttention;
import org.ptlab.theory.hu2025.PolyPlan;
import org.ptlab.theory.hu2025.PolyResult;
import org.ptlab.theory.hu2025.PolynomialAttention;

/**
 * One point of {@code ptlab bench attention}: nq queries against n keys, head size s, float64, entries of Q and K
 * uniform in [−½, ½] (so R = max‖q‖·max‖k‖ ≤ 1), V uniform in [0, 1]. Contenders: PTLab's exact attention (the
 * engine's fused kernel over blocks of query rows), the polynomial method at a certified tolerance, and libtorch's
 * exact attention over blocks of query rows at 1 and at 2 intra-op threads (the faster is reported, as in
 * {@code bench engine}; on a loaded machine its 2-thread barriers can stall), when the peer started. Block sizes
 * are calibrated per point (and per libtorch thread count) on at most {@link #PROBE_ROWS} query rows, fastest of
 * a few, because the best one depends on n, the cache and the library.
 */
final class AttentionPoint {
  /** Query rows of the block-size calibration runs. */
  static final int PROBE_ROWS = 2048;
  static final int[] EXACT_BLOCKS = {8, 16, 32, 64, 128, 256};
  /** libtorch on this machine is fastest at 16–64 rows (n = 16384, 1 thread: 684 ms at 32, 1750 ms at 256). */
  static final int[] TORCH_BLOCKS = {16, 32, 64, 128, 256};
  /** Largest blockRows·n tried (2^22 doubles = 32 MiB of scores per block). */
  static final long MAX_BLOCK_ELEMENTS = 1L << 22;
  /** A libtorch setting predicted slower than this per run is timed once, not interleaved (n = 65536: ~40 s). */
  static final double SINGLE_RUN_MS = 8000;

  private AttentionPoint() {}

  static ObjectNode measure(int n, int nq, int s, double tolerance, long seed, Peer peer, List<Integer> torchThreads,
      boolean quick, PrintStream log) {
    Rng rng = Rng.derive(seed, n, nq);
    Tensor q = Tensor.rand(rng, DType.F64, -0.5, 0.5, n, s).slice(0, n - nq, n).copy(); // the last nq rows [nq, s]
    Tensor k = Tensor.rand(rng, DType.F64, -0.5, 0.5, n, s); // [n, s]
    Tensor v = Tensor.rand(rng, DType.F64, 0, 1, n, s); // [n, s]
    double[] qa = q.toDoubleArray();
    double[] ka = k.toDoubleArray();
    double[] va = v.toDoubleArray();
    PolynomialAttention method = PolynomialAttention.tolerance(tolerance);
    PolyPlan plan = method.plan(qa, nq, ka, n, s, va, s, 1.0, null);
    int ours = (int) calibrate(n, EXACT_BLOCKS, blk -> ExactAttention.blocked(q.slice(0, 0, Math.min(nq, PROBE_ROWS)),
        k, v, 1.0, blk))[0];
    List<AttentionTiming.Contender> cs = new ArrayList<>();
    cs.add(new AttentionTiming.Contender("exact", null, () -> ExactAttention.blocked(q, k, v, 1.0, ours)));
    cs.add(new AttentionTiming.Contender("fast", null, () -> method.attend(qa, nq, ka, n, s, va, s, 1.0, null)));
    List<TorchSetting> torch = new ArrayList<>();
    for (int t : peer == null || n > TorchAttention.maxN() ? List.<Integer>of() : torchThreads) {
      Peer.threads(t);
      Tensor probeQ = q.slice(0, 0, Math.min(nq, PROBE_ROWS));
      double[] best = calibrate(n, TORCH_BLOCKS, blk -> {
        try (TorchAttention ta = new TorchAttention(peer.manager(), probeQ, k, v, 1.0, blk)) {
          ta.run();
        }
      });
      TorchSetting ts = new TorchSetting(t, (int) best[0], best[1] * nq / probeQ.dim(0),
          new TorchAttention(peer.manager(), q, k, v, 1.0, (int) best[0]));
      torch.add(ts);
      if (ts.predictedMs() <= SINGLE_RUN_MS) {
        cs.add(new AttentionTiming.Contender(Integer.toString(t), () -> Peer.threads(t), ts.runner()::run));
      }
    }
    List<AttentionTiming.Result> rs = AttentionTiming.time(cs, quick);
    double[] exact = ExactAttention.blocked(q, k, v, 1.0, ours).toDoubleArray();
    PolyResult fast = method.attend(qa, nq, ka, n, s, va, s, 1.0, null);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", n);
    if (nq != n) o.put("L", nq);
    o.put("exact_ms", round(rs.get(0).medianMs()));
    o.put("fast_ms", round(rs.get(1).medianMs()));
    o.put("max_error", round(fast.maxError(exact)));
    o.put("bound", round(fast.bound()));
    o.put("degree", plan.degree());
    o.put("rank", (long) plan.rank(s));
    o.put("method", plan.approx().method().name().toLowerCase(java.util.Locale.ROOT));
    o.put("R", round(plan.range()));
    o.put("eps", round(plan.eps()));
    o.put("speedup", round(rs.get(0).medianMs() / rs.get(1).medianMs()));
    o.put("exact_block_rows", ours);
    o.put("exact_runs", rs.get(0).runs());
    o.put("fast_runs", rs.get(1).runs());
    if (!torch.isEmpty()) {
      putTorch(o, torch, rs, exact);
    } else if (peer != null) {
      o.put("torch_not_run", "n > " + TorchAttention.maxN() + ": glibc keeps libtorch's freed blocks resident (8.6 GB "
          + "at n = 32768); set MALLOC_MMAP_THRESHOLD_=1048576 to time it");
    }
    log.printf("n=%d%s: exact %.4g ms, fast %.4g ms (%.1fx), %s, g=%d, r=%d, error %.3g <= bound %.3g%n", n,
        nq != n ? " L=" + nq : "", rs.get(0).medianMs(), rs.get(1).medianMs(),
        rs.get(0).medianMs() / rs.get(1).medianMs(), o.has("torch_ms") ? "torch " + o.get("torch_ms").asDouble()
            + " ms" : "no torch", plan.degree(), (long) plan.rank(s), fast.maxError(exact), fast.bound());
    return o;
  }

  /** One libtorch thread setting: its calibrated block size, the predicted time of a full run, the runner. */
  private record TorchSetting(int threads, int blockRows, double predictedMs, TorchAttention runner) {}

  /**
   * libtorch's fields: the faster thread setting's median (interleaved with the others), or, where a run is
   * predicted above {@link #SINGLE_RUN_MS}, one run after the calibration warmed it; and the agreement with ours.
   */
  private static void putTorch(ObjectNode o, List<TorchSetting> torch, List<AttentionTiming.Result> rs,
      double[] exact) {
    ObjectNode byThreads = o.putObject("torch_ms_by_threads");
    ObjectNode blocks = o.putObject("torch_block_rows_by_threads");
    double bestMs = Double.POSITIVE_INFINITY;
    TorchSetting best = null;
    int bestRuns = 0;
    for (TorchSetting ts : torch) {
      double ms;
      int runs;
      AttentionTiming.Result timed = rs.stream().filter(r -> r.name().equals(Integer.toString(ts.threads())))
          .findFirst().orElse(null);
      if (timed != null) {
        ms = timed.medianMs();
        runs = timed.runs();
      } else { // a single run of many seconds
        Peer.threads(ts.threads());
        long t0 = System.nanoTime();
        ts.runner().run();
        ms = (System.nanoTime() - t0) / 1e6;
        runs = 1;
      }
      byThreads.put(Integer.toString(ts.threads()), round(ms));
      blocks.put(Integer.toString(ts.threads()), ts.blockRows());
      if (ms < bestMs) {
        bestMs = ms;
        best = ts;
        bestRuns = runs;
      }
    }
    o.put("torch_ms", round(bestMs));
    o.put("torch_threads", best.threads());
    o.put("torch_block_rows", best.blockRows());
    o.put("torch_runs", bestRuns);
    Peer.threads(best.threads());
    double[] t = best.runner().output();
    double diff = 0;
    for (int i = 0; i < t.length; i++) diff = Math.max(diff, Math.abs(t[i] - exact[i]));
    o.put("torch_vs_exact_max_diff", round(diff));
    for (TorchSetting ts : torch) ts.runner().close();
  }

  /** The fastest block size (best of two runs each) on the given probe: {block rows, its ms}. */
  private static double[] calibrate(int n, int[] candidates, java.util.function.IntConsumer probe) {
    int best = 0;
    double bestMs = Double.POSITIVE_INFINITY;
    for (int blk : candidates) {
      // a block's scores stay under MAX_BLOCK_ELEMENTS: at n = 65536 each 256-row block was 134 MB of garbage per
      // call, and the JVM heap grew with it until the machine ran out of memory
      if (blk > candidates[0] && ((long) blk * n > MAX_BLOCK_ELEMENTS || blk > n)) break;
      double ms = Double.POSITIVE_INFINITY;
      for (int rep = 0; rep < 2; rep++) {
        long t0 = System.nanoTime();
        probe.accept(blk);
        ms = Math.min(ms, (System.nanoTime() - t0) / 1e6);
      }
      if (ms < bestMs) {
        bestMs = ms;
        best = blk;
      }
    }
    return new double[] {best, bestMs};
  }

  static double round(double x) {
    return MatmulBench.round(x);
  }
}
