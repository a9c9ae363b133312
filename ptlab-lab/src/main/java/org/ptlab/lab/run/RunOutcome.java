package org.ptlab.lab.run;

import java.time.Instant;
import org.ptlab.lab.RunOutput;

/**
 * What an executor delivers for one task: the output, or the error that stopped it, and when it ran.
 *
 * @param task the task that ran
 * @param output the run's output, null when it failed
 * @param error the failure (class and message, first frames), null when it succeeded
 * @param startedAt when the run started
 * @param endedAt when it ended
 */
public record RunOutcome(RunTask task, RunOutput output, String error, Instant startedAt, Instant endedAt) {
  public boolean ok() {
    return error == null;
  }
}
