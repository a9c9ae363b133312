package org.ptlab.lab.run;

import java.util.function.Consumer;
import org.ptlab.lab.Experiment;

/**
 * Where runs execute. The driver ({@link Sweep}) keeps at most {@link #slots()} runs in flight, submits them here,
 * and receives each outcome through {@code sink}, which may be called from any thread: the driver only queues it
 * and does every store write itself. An executor may deliver an outcome twice (a cluster retries tasks); the
 * driver stores it once.
 *
 * <p>The default is {@link InProcessExecutor} (a thread pool); a Spark executor (DESIGN.md, distributed.md) would
 * ship {@link RunTask} (plain data) and look the experiment up by id on the worker.
 */
public interface RunExecutor extends AutoCloseable {
  /** How many runs may be in flight at once. */
  int slots();

  /** Starts {@code task} of {@code experiment}; delivers its outcome (success or error) to {@code sink}. */
  void submit(Experiment experiment, RunTask task, Consumer<RunOutcome> sink);

  /** The thread count recorded with each run (its results must not depend on it). */
  int threads();

  @Override
  void close();
}
