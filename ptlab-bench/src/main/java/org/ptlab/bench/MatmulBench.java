package org.ptlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Float32 n×n·n×n products: PTLab's {@link Tensor#matmul} on the engine's pool (--threads) against libtorch's
 * matmul at 1 and 2 intra-op threads (the faster is reported). GFLOP/s = 2n³ / median time. Each product allocates
 * its output on both sides.
 */
final class MatmulBench {
  static final List<Integer> SIZES = List.of(256, 1024);

  private MatmulBench() {}

  static ObjectNode run(int n, Peer peer, List<Integer> peerThreads, boolean quick, long seed, PrintStream log) {
    Rng rng = Rng.derive(seed, n);
    Tensor a = Tensor.randn(rng, DType.F32, 1.0, n, n);
    Tensor b = Tensor.randn(rng, DType.F32, 1.0, n, n);
    double flop = 2.0 * n * n * n;
    Timing.Budget budget = Timing.Budget.products(quick);

    NDManager m = peer.manager().newSubManager();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    try {
      NDArray pa = TorchWorkloads.toNd(m, a);
      NDArray pb = TorchWorkloads.toNd(m, b);
      List<Timing.Result> rs = Timing.interleaved(
          Peer.contenders(() -> a.matmul(b), peerThreads, () -> pa.matMul(pb).close()), budget);
      Timing.Result ours = rs.get(0);
      Timing.Result best = Timing.fastest(rs.subList(1, rs.size()));
      out.put("n", n);
      out.put("gflops", round(flop / ours.medianMs() / 1e6));
      out.put("ms", round(ours.medianMs()));
      out.put("max_rel_err", round(maxRelErr(a.matmul(b).toFloatArray(), pa.matMul(pb).toFloatArray())));
      out.put("peer_gflops", round(flop / best.medianMs() / 1e6));
      out.put("peer_ms", round(best.medianMs()));
      out.put("peer_threads", Integer.parseInt(best.name()));
      ObjectNode byThreads = out.putObject("peer_gflops_by_threads");
      for (Timing.Result r : rs.subList(1, rs.size())) byThreads.put(r.name(), round(flop / r.medianMs() / 1e6));
    } finally {
      m.close();
    }
    log.printf("matmul n=%d: PTLab %.1f GFLOP/s (%.3f ms), libtorch %.1f GFLOP/s (%d threads)%n", n,
        out.get("gflops").asDouble(), out.get("ms").asDouble(), out.get("peer_gflops").asDouble(),
        out.get("peer_threads").asInt());
    return out;
  }

  /** max |x − ref| / max |ref|: PTLab's product against libtorch's. */
  private static double maxRelErr(float[] x, float[] ref) {
    double err = 0;
    double scale = 0;
    for (int i = 0; i < x.length; i++) {
      err = Math.max(err, Math.abs(x[i] - ref[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    return err / scale;
  }

  /** Four significant digits, enough for timings that vary by several percent between runs. */
  static double round(double x) {
    if (x == 0 || !Double.isFinite(x)) return x;
    double scale = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(x))));
    return Math.round(x * scale) / scale;
  }
}
