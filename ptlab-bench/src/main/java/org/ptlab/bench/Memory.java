package org.ptlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.ptlab.tensor.Tensor;

/**
 * Heap measurements of the PTLab side. Used-heap samples taken between steps mostly measure how much garbage the
 * young generation lets pile up (that depends on -Xmx, not on the engine), so this class measures live data
 * instead: the heap used after a full GC ({@link System#gc()}) at the step's high-water mark, with the forward
 * graph (every saved activation) alive just before backward. Allocation per step is measured separately.
 */
final class Memory {
  static final String METHOD = "peak_heap_mb: live Java heap (after System.gc()) at the step's high-water mark, "
      + "with the forward graph alive just before backward, whole JVM; graph_mb: the part of it that is the graph "
      + "(activations saved for backward); alloc_mb_per_step: bytes allocated per step by all Java threads";

  private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();
  private static final double MB = 1024.0 * 1024.0;

  private Memory() {}

  /**
   * How the heap is backed: "transparent huge pages" when this JVM runs with -XX:+UseTransparentHugePages (the
   * launcher adds it where the kernel offers huge pages on request), else "4 KiB pages". On these VMs first touches
   * of fresh heap are costly, so timings taken while the heap grows depend on it (notes/bench.md).
   */
  static String heapPages() {
    boolean thp = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+UseTransparentHugePages");
    return thp ? "transparent huge pages" : "4 KiB pages";
  }

  /** Bytes of heap in use after a full collection. */
  static long liveBytes() {
    System.gc();
    System.gc();
    return HEAP.getHeapMemoryUsage().getUsed();
  }

  /**
   * Live heap at one step's high-water mark (the forward graph alive, before backward) and the part of it that is
   * the graph, both in MB. A small graph is below what one GC reading resolves, so up to 64 graphs are kept alive
   * at once (enough for about 8 MB) and the difference is divided by their number. Runs one step of
   * {@code runner}.
   *
   * @return {live heap MB, graph MB}
   */
  static double[] stepPeak(PtlabWorkloads.Runner runner) {
    long before = liveBytes();
    Tensor loss = runner.forward();
    long one = Math.max(liveBytes() - before, 1024);
    int k = (int) Math.min(64, Math.max(1, (8L << 20) / one));
    List<Tensor> alive = new ArrayList<>();
    for (int i = 1; i < k; i++) alive.add(runner.forward());
    double graph = (double) (liveBytes() - before) / k;
    alive.clear();
    runner.update(loss);
    return new double[] {(before + graph) / MB, graph / MB};
  }

  /** Bytes allocated so far by every live thread (caller and kernel workers); -1 if the JVM cannot tell. */
  static long allocatedBytes() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!(threads instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemoryEnabled()) {
      return -1;
    }
    long total = 0;
    for (long a : sun.getThreadAllocatedBytes(threads.getAllThreadIds())) total += Math.max(a, 0);
    return total;
  }

  /** MB allocated per step over {@code steps} steps of {@code runner}, or -1. */
  static double allocatedPerStep(Workloads.Step runner, int steps) {
    long a0 = allocatedBytes();
    for (int i = 0; i < steps; i++) runner.step();
    long a1 = allocatedBytes();
    return a0 < 0 ? -1 : (a1 - a0) / MB / steps;
  }
}
