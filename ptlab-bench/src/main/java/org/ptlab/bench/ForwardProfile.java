package org.ptlab.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.model.ModelSource;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;

/**
 * A developer tool, not a suite: where the real MiniLM's no-grad forward ({@code ptlab bench model}'s "forward"
 * item, batch 8 × 32 tokens) spends its time. Warms up 5 s, prints the median ms per batch over {@code rounds}
 * rounds of 20 forwards and the allocation and CPU time per forward, then, if a file is given, {@code seconds} more
 * of forwards. Java Flight Recorder (1 ms execution samples) records from the start when a file is given: starting
 * a recording in a warm JVM deoptimizes compiled code for a while, which showed up as Vector API fallbacks; skip the
 * first ~6 s of the file (warm-up) when reading it.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -Dptlab.threads=2 \
 *   -cp 'ptlab-bench/target/ptlab-bench-0.1.0.jar:ptlab-bench/target/lib/*' \
 *   org.ptlab.bench.ForwardProfile 5 [SECONDS FILE.jfr]
 * </pre>
 */
public final class ForwardProfile {
  private ForwardProfile() {}

  /** CPU time of this thread and the pool's workers. */
  private static long cpuNanos(java.lang.management.ThreadMXBean mx) {
    long sum = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && (t.getThreadName().equals("main") || t.getThreadName().startsWith("ptlab-parallel"))) {
        sum += mx.getThreadCpuTime(t.getThreadId());
      }
    }
    return sum;
  }

  private static long gcMillis() {
    long ms = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
        .getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    ModelSource minilm = ModelSource.of(MiniLm.NAME);
    Transformer model = minilm.load(minilm.config(), null);
    ModelInput input = ModelInput.ofTokens(ModelBenchmark.batch(model.config().vocabSize()));
    Recording rec = null;
    if (args.length >= 3) {
      rec = new Recording(Configuration.getConfiguration("profile"));
      rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      rec.start();
    }
    Runnable forward = () -> {
      try (GradMode.Scope s = GradMode.noGrad()) {
        model.encode(input, ForwardHooks.NONE, ForwardMode.EVAL);
      }
    };
    long warmEnd = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < warmEnd) forward.run();
    double[] medians = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      double[] ms = new double[20];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        forward.run();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      medians[r] = ms[ms.length / 2];
    }
    System.out.println("forward ms/batch, median of 20, per round: " + Arrays.toString(medians));
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    long gc0 = gcMillis();
    long alloc0 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    long cpu0 = cpuNanos(mx);
    long t0 = System.nanoTime();
    for (int i = 0; i < 50; i++) forward.run();
    long t1 = System.nanoTime();
    long cpu = cpuNanos(mx) - cpu0;
    long alloc = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - alloc0;
    System.out.printf("calling thread allocates %.1f MB per forward; GC %.2f ms per forward (mean %.2f ms/forward, "
        + "%.2f ms CPU of the calling and pool threads)%n", alloc / 50 / 1e6, (gcMillis() - gc0) / 50.0,
        (t1 - t0) / 50 / 1e6, cpu / 50 / 1e6);
    if (rec == null) return;
    long end = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
    while (System.nanoTime() < end) forward.run();
    rec.stop();
    rec.dump(Path.of(args[2]));
    rec.close();
    System.out.println("recording: " + args[2]);
  }
}
