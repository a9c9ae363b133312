package org.ptlab.tensor.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;
import org.ptlab.tensor.random.Rng;

/**
 * Stand-alone timing of attention's direct path against the GEMM path (not a test: surefire skips it). Thread CPU
 * time of one forward + backward (loss Σ y⊙w) on one thread, the two paths alternating in one JVM so that a loaded
 * machine slows both alike; median of 15 rounds, each repeating the step for at least 30 ms of CPU time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp TEST_CLASSES:CLASSES org.ptlab.tensor.ops.AttentionDirectTiming
 * </pre>
 */
public final class AttentionDirectTiming {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final Parallel ONE = Parallel.of(1);

  private AttentionDirectTiming() {}

  /** Arguments: names of the shapes to time (default: all). */
  public static void main(String[] args) {
    only = args;
    // name, dtype, B, T, heads, head width: the bench workload tiny64's attention (d 8, 1 head, 8 tokens, batch 16),
    // an E1-like one (d 6, 6 tokens, 2 examples), the direct path's limit (16), and float32 (GEMM path both times)
    time("tiny64", DType.F64, 16, 8, 1, 8);
    time("e1", DType.F64, 2, 6, 1, 6);
    time("f64-16", DType.F64, 8, 16, 2, 16);
    time("tiny", DType.F32, 16, 8, 1, 8);
  }

  private static String[] only = {};

  private static void time(String name, DType dt, int b, int t, int h, int s) {
    if (only.length > 0 && !Arrays.asList(only).contains(name)) return;
    Rng rng = new Rng(1);
    Tensor[] in = {Tensor.randn(rng, dt, 1, b, t, h * s), Tensor.randn(rng, dt, 1, b, t, h * s),
        Tensor.randn(rng, dt, 1, b, t, h * s)};
    Tensor w = Tensor.randn(rng, dt, 1, b, t, h * s);
    double scale = 1 / Math.sqrt(s);
    for (int i = 0; i < 2000; i++) { // warm-up of both paths
      step(in, h, scale, w, true);
      step(in, h, scale, w, false);
    }
    double[][] us = new double[2][15];
    for (int r = 0; r < 15; r++) {
      for (int p = 0; p < 2; p++) us[p][r] = round(in, h, scale, w, p == 0);
    }
    Arrays.sort(us[0]);
    Arrays.sort(us[1]);
    System.out.printf("%-7s direct %8.2f us  gemm %8.2f us  ratio %.2f%n", name, us[0][7], us[1][7],
        us[0][7] / us[1][7]);
  }

  private static double round(Tensor[] in, int h, double scale, Tensor w, boolean direct) {
    long t0 = MX.getCurrentThreadCpuTime();
    int n = 0;
    long t;
    do {
      step(in, h, scale, w, direct);
      n++;
      t = MX.getCurrentThreadCpuTime() - t0;
    } while (t < 30_000_000L);
    return t / 1e3 / n;
  }

  private static void step(Tensor[] in, int h, double scale, Tensor w, boolean direct) {
    Tensor q = in[0].requiresGrad(true);
    Tensor k = in[1].requiresGrad(true);
    Tensor v = in[2].requiresGrad(true);
    Attention.sdpa(q, k, v, h, scale, null, false, direct, ONE).mul(w).sum().backward();
    q.zeroGrad();
    k.zeroGrad();
    v.zeroGrad();
  }
}
