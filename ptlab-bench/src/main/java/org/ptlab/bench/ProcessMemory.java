package org.ptlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ptlab.tensor.DType;

/**
 * Resident memory of one side, measured honestly: a fresh JVM (same java, classpath and options as this one) runs
 * only that side's steps of one workload and reports its peak resident set (VmHWM of /proc/self/status). The figure
 * is the whole process: JVM, heap as the collector chose to grow it, and for the peer the libtorch natives. Linux
 * only; elsewhere the child reports nothing and the field is left out.
 *
 * <p>Child usage: {@code ProcessMemory ptlab|torch WORKLOAD STEPS} prints {@code vmhwm_kb=N}.
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * Peak RSS in MB of a child running {@code steps} steps of {@code workload} on {@code side} ("ptlab" at
   * {@code threads} pool threads, or "torch" at libtorch's default threads), or -1 if it cannot be measured.
   */
  static double peakRssMb(String side, String workload, int steps, int threads) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Dptlab.threads=" + threads);
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib")) cmd.add(arg);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ProcessMemory.class.getName(), side, workload,
        Integer.toString(steps)));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      double mb = -1;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("vmhwm_kb=")) mb = Long.parseLong(line.substring(9).trim()) / 1024.0;
        }
      }
      if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
      return p.exitValue() == 0 ? mb : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The child: runs the steps, prints the peak resident set. */
  public static void main(String[] args) throws IOException {
    Workloads.Spec spec = Workloads.byName(args[1]);
    int steps = Integer.parseInt(args[2]);
    Workloads.Data data = Workloads.build(spec, EngineBenchmark.SEED);
    if (args[0].equals("torch")) {
      try (Peer peer = Peer.start(); Workloads.Step step = TorchWorkloads.create(data, peer.manager())) {
        for (int i = 0; i < steps; i++) step.step();
        report();
      }
    } else {
      try (Workloads.Step step = PtlabWorkloads.create(data)) {
        for (int i = 0; i < steps; i++) step.step();
        report();
      }
    }
    System.exit(0); // DJL's and PTLab's pools are daemon threads, but do not wait for native teardown
  }

  private static void report() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) return;
    for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
      if (line.startsWith("VmHWM:")) {
        System.out.println("vmhwm_kb=" + line.replaceAll("[^0-9]", ""));
      }
    }
  }

  /** Steps the child runs: enough for the heap to reach its steady size. */
  static int steps(Workloads.Spec spec, boolean quick) {
    int base = spec.kind().model() ? 40 : spec.dtype() == DType.F64 || spec.d() <= 16 ? 2000 : 200; // MiniLM: ~0.1 s each
    return quick ? base / 10 : base;
  }
}
