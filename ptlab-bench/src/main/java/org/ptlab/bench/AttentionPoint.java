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
 * are calibrated per point on at most 1024 query rows (fastest of a few), because the best one depends on n and
 * the cache.
 */
final class AttentionPoint {
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
    int ours = calibrate(n, blk -> ExactAttention.blocked(q.slice(0, 0, Math.min(nq, 1024)), k, v, 1.0, blk));
    List<AttentionTiming.Contender> cs = new ArrayList<>();
    cs.add(new AttentionTiming.Contender("exact", null, () -> ExactAttention.blocked(q, k, v, 1.0, ours)));
    cs.add(new AttentionTiming.Contender("fast", null, () -> method.attend(qa, nq, ka, n, s, va, s, 1.0, null)));
    TorchAttention torch = null;
    int theirs = 0;
    if (peer != null) {
      Tensor q1k = q.slice(0, 0, Math.min(nq, 1024));
      Peer.threads(torchThreads.get(torchThreads.size() - 1));
      theirs = calibrate(n, blk -> {
        try (TorchAttention t = new TorchAttention(peer.manager(), q1k, k, v, 1.0, blk)) {
          t.run();
        }
      });
      torch = new TorchAttention(peer.manager(), q, k, v, 1.0, theirs);
      for (int t : torchThreads) cs.add(new AttentionTiming.Contender(Integer.toString(t), () -> Peer.threads(t),
          torch::run));
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
    if (torch != null) {
      AttentionTiming.Result best = rs.get(2);
      for (AttentionTiming.Result r : rs.subList(2, rs.size())) if (r.medianMs() < best.medianMs()) best = r;
      o.put("torch_ms", round(best.medianMs()));
      o.put("torch_threads", Integer.parseInt(best.name()));
      ObjectNode byThreads = o.putObject("torch_ms_by_threads");
      for (AttentionTiming.Result r : rs.subList(2, rs.size())) byThreads.put(r.name(), round(r.medianMs()));
      o.put("torch_block_rows", theirs);
      o.put("torch_runs", best.runs());
      double[] t = torch.output();
      double diff = 0;
      for (int i = 0; i < t.length; i++) diff = Math.max(diff, Math.abs(t[i] - exact[i]));
      o.put("torch_vs_exact_max_diff", round(diff));
      torch.close();
    }
    log.printf("n=%d%s: exact %.4g ms, fast %.4g ms (%.1fx), %s, g=%d, r=%d, error %.3g <= bound %.3g%n", n,
        nq != n ? " L=" + nq : "", rs.get(0).medianMs(), rs.get(1).medianMs(),
        rs.get(0).medianMs() / rs.get(1).medianMs(), torch != null ? "torch " + o.get("torch_ms").asDouble() + " ms"
            : "no torch", plan.degree(), (long) plan.rank(s), fast.maxError(exact), fast.bound());
    return o;
  }

  /** The fastest block size (best of two runs each) on the given probe. */
  private static int calibrate(int n, java.util.function.IntConsumer probe) {
    int best = 0;
    double bestMs = Double.POSITIVE_INFINITY;
    for (int blk : new int[] {8, 16, 32, 64, 128, 256}) {
      if (blk > Math.max(8, n)) break;
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
    return best;
  }

  static double round(double x) {
    return MatmulBench.round(x);
  }
}
