package org.ptlab.spark;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.run.InProcessExecutor;
import org.ptlab.lab.run.RunExecutor;
import org.ptlab.lab.run.RunOutcome;
import org.ptlab.lab.run.RunTask;

/**
 * Runs each task as its own Spark job ({@code parallelize([task], 1).map(run).collect()}) from a driver pool of
 * {@link #slots()} threads, so each result reaches the driver, and the driver's {@code Sweep} stores it, as soon as
 * that run ends (distributed.md §1). Only the config travels ({@link ShippedRun}); the worker finds the experiment
 * by id. A task Spark retries (a lost worker) still returns once from its job; the sweep and the store dedup
 * anyway.
 *
 * <p>Runs of an {@link Experiment#exclusive() exclusive} experiment (timings) run on the driver, one at a time
 * (the sweep keeps one in flight), and record the driver's host.
 *
 * <pre>{@code
 * try (RunExecutor ex = new SparkRunExecutor("local[2]", 2)) { Reproduce.run(options, ex); }
 * }</pre>
 */
public final class SparkRunExecutor implements RunExecutor {
  private final JavaSparkContext sc;
  private final int slots;
  private final ExecutorService jobs;
  private final ExecutorService onDriver;

  /**
   * @param master {@code local[N]}, {@code spark://HOST:7077}, {@code yarn}, {@code k8s://…}; null keeps
   *     {@code spark.master} if set (spark-submit) and is {@code local[slots]} otherwise
   * @param slots runs in flight (≥ 1), or 0: the N of {@code local[N]}, else the cluster's default parallelism
   */
  public SparkRunExecutor(String master, int slots) {
    if (slots < 0) throw new IllegalArgumentException("--threads must be >= 1, got " + slots);
    SparkConf conf = conf(master, slots);
    this.sc = new JavaSparkContext(conf);
    this.slots = slots > 0 ? slots : Math.max(1, sc.defaultParallelism());
    this.jobs = daemonPool(this.slots, "ptlab-spark-job-");
    this.onDriver = daemonPool(1, "ptlab-spark-driver-run-");
  }

  /** The configuration: the master if none is set, and in local mode loopback binds and no UI. */
  static SparkConf conf(String master, int slots) {
    SparkConf c = new SparkConf().setAppName("ptlab reproduce");
    String local = "local[" + (slots > 0 ? slots : "*") + "]";
    if (master != null) c.set("spark.master", master);
    else c.setIfMissing("spark.master", local);
    if (c.get("spark.master").startsWith("local")) { // else Spark binds its block manager to eth0 (§1 Network)
      c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      c.setIfMissing("spark.driver.host", "127.0.0.1");
      c.setIfMissing("spark.ui.enabled", "false");
    }
    c.setIfMissing("spark.ui.showConsoleProgress", "false"); // the sweep draws its own bar
    c.setIfMissing("spark.log.level", "WARN");
    return c;
  }

  private static ExecutorService daemonPool(int n, String prefix) {
    AtomicInteger id = new AtomicInteger();
    return Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, prefix + id.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The Spark master in use. */
  public String master() {
    return sc.master();
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public int threads() {
    return slots;
  }

  @Override
  public void submit(Experiment experiment, RunTask task, Consumer<RunOutcome> sink) {
    if (experiment.exclusive()) {
      onDriver.execute(() -> sink.accept(InProcessExecutor.execute(experiment, task)));
    } else {
      jobs.execute(() -> sink.accept(runAsJob(task)));
    }
  }

  /** One Spark job for one run; a job that fails (after Spark's retries) is this run's error. */
  private RunOutcome runAsJob(RunTask task) {
    Instant start = Instant.now();
    try {
      sc.setJobDescription(task.experimentId() + " " + task.key());
      List<ShippedRun.Result> r = sc.parallelize(List.of(new ShippedRun(task)), 1).map(ShippedRun::run).collect();
      return r.get(0).outcome(task);
    } catch (RuntimeException e) {
      return new RunOutcome(task, null, "spark job failed: " + e, start, Instant.now());
    }
  }

  @Override
  public void close() {
    jobs.shutdownNow();
    onDriver.shutdownNow();
    try {
      jobs.awaitTermination(10, TimeUnit.SECONDS);
      onDriver.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sc.stop();
  }
}
