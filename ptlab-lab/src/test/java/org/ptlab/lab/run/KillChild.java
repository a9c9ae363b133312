package org.ptlab.lab.run;

import java.nio.file.Path;
import org.ptlab.lab.GridSize;

/**
 * The child JVM of {@link KillResumeTest}: sweeps {@link CountingExperiment} into {@code args[0]/runs.sqlite} with 2
 * threads and prints "done" at the end. The test kills it with SIGKILL part-way.
 */
public final class KillChild {
  private KillChild() {}

  public static void main(String[] args) throws Exception {
    CountingExperiment e = new CountingExperiment(Integer.parseInt(args[1]), Integer.parseInt(args[2]), -1);
    try (RunStore store = RunStore.open(Path.of(args[0]).resolve("runs.sqlite"));
        InProcessExecutor ex = new InProcessExecutor(2)) {
      Sweep.Summary s = Sweep.run(e, GridSize.QUICK, store, ex, Provenance.current(), Progress.quiet());
      System.out.println("done ran=" + s.ran() + " skipped=" + s.skipped());
    }
  }
}
