package org.ptlab.spark;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ptlab.io.Json;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.Experiments;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.run.InProcessExecutor;
import org.ptlab.lab.run.RunOutcome;
import org.ptlab.lab.run.RunTask;

/**
 * A {@link RunTask} as Spark ships it (plain strings and numbers), and {@link #run} what a worker does with it:
 * look the experiment up by id in {@link Experiments} and run it exactly as {@link InProcessExecutor} would.
 */
final class ShippedRun implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Experiments by id, per worker JVM (the registry reads the classpath once). */
  private static final Map<String, Experiment> REGISTRY = new ConcurrentHashMap<>();

  final String experimentId;
  final String configJson;
  final String configHash;
  final int repeat;
  final long seed;
  final long taskSeed;

  ShippedRun(RunTask t) {
    this.experimentId = t.experimentId();
    this.configJson = t.configJson();
    this.configHash = t.configHash();
    this.repeat = t.repeat();
    this.seed = t.seed();
    this.taskSeed = t.taskSeed();
  }

  RunTask task() {
    return new RunTask(experimentId, configJson, configHash, repeat, seed, taskSeed);
  }

  /** On a worker: runs the task; never throws for an experiment's failure (that is the run's error). */
  static Result run(ShippedRun s) {
    Experiment e = REGISTRY.computeIfAbsent(s.experimentId, id -> Experiments.all().stream()
        .filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new IllegalStateException(
            "experiment " + id + " is not on this worker's classpath (a different ptlab jar?)")));
    return Result.of(InProcessExecutor.execute(e, s.task()));
  }

  /** What a worker sends back: the outcome as JSON text and ISO instants. */
  static final class Result implements Serializable {
    private static final long serialVersionUID = 1L;
    final String metricsJson;
    final String artifactsJson;
    final String error;
    final String startedAt;
    final String endedAt;
    final String host;

    private Result(String metricsJson, String artifactsJson, String error, String startedAt, String endedAt) {
      this.metricsJson = metricsJson;
      this.artifactsJson = artifactsJson;
      this.error = error;
      this.startedAt = startedAt;
      this.endedAt = endedAt;
      this.host = InProcessExecutor.host();
    }

    static Result of(RunOutcome o) {
      return new Result(o.ok() ? Json.write(o.output().metrics()) : null,
          o.ok() ? Json.write(o.output().artifacts()) : null, o.error(), o.startedAt().toString(),
          o.endedAt().toString());
    }

    /** Back on the driver. JSON text round-trips exactly (the store keeps the same text), so metrics are equal. */
    RunOutcome outcome(RunTask t) {
      RunOutput out = error == null ? new RunOutput(Json.parseMap(metricsJson), Json.parseMap(artifactsJson)) : null;
      return new RunOutcome(t, out, error, Instant.parse(startedAt), Instant.parse(endedAt));
    }
  }
}
