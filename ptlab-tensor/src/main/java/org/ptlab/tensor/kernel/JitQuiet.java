package org.ptlab.tensor.kernel;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up for anything that times the kernels: run the workload until the JIT is quiet. The Vector API kernels are
 * fast only once C2 has compiled them for the shapes in use, and on a 2-core machine a C2 compile in the background
 * takes one of the two cores from the timed runs. Measured (2026-12-08, notes/bench.md and notes/hu2025.md): E9's
 * exact attention at n = 2048 ran its first 14 timed runs at 7.2 ms and the rest at 3.6 ms while compilation time
 * grew; `bench model --quick`'s MiniLM forward read 0.57× ONNX Runtime after its fixed warm-up and 0.90–0.96× after
 * waiting for a quiet JIT (steady state 1.02×).
 */
public final class JitQuiet {
  /** The JIT counts as quiet after this long without a finished compilation. */
  public static final long QUIET_NANOS = 250_000_000L;

  private JitQuiet() {}

  /**
   * Runs {@code round} (at least once while time is left) until no compilation has finished for
   * {@link #QUIET_NANOS}, or until {@code capSeconds} have passed; returns at once (without running it) where the
   * JVM does not report compilation time or {@code capSeconds} ≤ 0.
   */
  public static void await(double capSeconds, Runnable round) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported() || !(capSeconds > 0)) return;
    long end = System.nanoTime() + (long) (capSeconds * 1e9);
    long compiled = jit.getTotalCompilationTime();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < end) {
      round.run();
      long now = jit.getTotalCompilationTime();
      if (now != compiled) {
        compiled = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= QUIET_NANOS) {
        return;
      }
    }
  }
}
