package org.ptlab.tuning.train;

import java.nio.file.Path;
import org.ptlab.nn.attention.AttentionKernel;

/**
 * The child JVM of {@link KillResumeTest}: trains {@link KillResumeTest#run} with checkpoints in {@code args[0]},
 * on the attention kernel {@code args[1]} ("composed" or "exact"), until it is killed.
 */
public final class KillResumeChild {
  private KillResumeChild() {}

  public static void main(String[] args) throws Exception {
    AttentionKernel kernel = KillResumeTest.kernel(args[1]);
    TrainFixtures.Run r = KillResumeTest.run(kernel);
    TrainResult res = r.trainer().checkpointTo(Path.of(args[0])).fit(r.train(), r.validation());
    System.out.println("finished " + res.steps() + " steps");
  }
}
