package org.ptlab.bench;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.ptlab.tensor.Tensor;

/**
 * A developer tool, not a suite: where one PTLab workload step spends its time. Warms up 5 s, prints the median
 * forward and backward+Adam times, then records {@code seconds} of steps with Java Flight Recorder (1 ms execution
 * samples) into {@code FILE.jfr}. Read it with {@code jfr print --events jdk.ExecutionSample FILE.jfr} or JDK
 * Mission Control.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -Dptlab.threads=2 \
 *   -cp 'ptlab-bench/target/ptlab-bench-0.1.0.jar:ptlab-bench/target/lib/*' \
 *   org.ptlab.bench.StepProfile small 8 /tmp/small.jfr
 * </pre>
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || Workloads.byName(args[0]) == null) {
      System.err.println("usage: StepProfile WORKLOAD SECONDS FILE.jfr   (workloads: tiny, tiny64, small, mid, minilm, lora-minilm)");
      System.exit(2);
    }
    Workloads.Spec spec = Workloads.byName(args[0]);
    double seconds = Double.parseDouble(args[1]);
    PtlabWorkloads.Runner runner = PtlabWorkloads.create(Workloads.build(spec, EngineBenchmark.SEED));
    long warmEnd = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < warmEnd) runner.step();

    int n = spec.kind() == Workloads.Kind.SEED ? 2000 : spec.kind().model() ? 30 : 100;
    double[] fwd = new double[n];
    double[] bwd = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      Tensor loss = runner.forward();
      long t1 = System.nanoTime();
      runner.update(loss);
      fwd[i] = (t1 - t0) / 1e6;
      bwd[i] = (System.nanoTime() - t1) / 1e6;
    }
    java.util.Arrays.sort(fwd);
    java.util.Arrays.sort(bwd);
    System.out.printf("%s: median forward %.3f ms, backward+Adam %.3f ms (%d steps)%n", spec.name(), fwd[n / 2],
        bwd[n / 2], n);

    try (Recording rec = new Recording(Configuration.getConfiguration("profile"))) {
      rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      rec.start();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end) runner.step();
      rec.stop();
      rec.dump(Path.of(args[2]));
    }
    System.out.println("recording: " + args[2]);
  }
}
