package org.ptlab.lab.run;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.ptlab.io.Json;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.RunOutput;

/**
 * Runs tasks on a fixed pool of daemon threads in this JVM. Each run is single-threaded from the lab's point of
 * view; the engine's kernels may still use its shared pool ({@code ptlab.threads}) above their size thresholds,
 * and they never split a dot product, so numbers do not depend on the thread count either way.
 *
 * <p>A run of an {@link Experiment#exclusive() exclusive} experiment holds this pool's write lock: no other run of
 * this executor is in flight while it runs (other runs hold the read lock).
 */
public final class InProcessExecutor implements RunExecutor {
  private final int threads;
  private final ExecutorService pool;
  private final ReentrantReadWriteLock machine = new ReentrantReadWriteLock(true);

  /** A pool of {@code threads} (≥ 1) runner threads. */
  public InProcessExecutor(int threads) {
    if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ptlab-run-" + n.incrementAndGet());
      t.setDaemon(true); // a killed or interrupted driver must not be kept alive by its runners
      return t;
    });
  }

  @Override
  public int slots() {
    return threads;
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public void submit(Experiment experiment, RunTask task, Consumer<RunOutcome> sink) {
    Lock lock = experiment.exclusive() ? machine.writeLock() : machine.readLock();
    pool.execute(() -> {
      lock.lock();
      RunOutcome o;
      try {
        o = execute(experiment, task);
      } finally {
        lock.unlock();
      }
      sink.accept(o);
    });
  }

  /** Runs one task in the calling thread, turning any throwable into an error outcome. */
  public static RunOutcome execute(Experiment experiment, RunTask task) {
    Instant start = Instant.now();
    try {
      RunOutput out = experiment.run(task.context());
      if (out == null) throw new IllegalStateException(experiment.id() + ".run returned null");
      if (experiment.exclusive()) out = timedOn(out);
      Json.write(out); // fail here, as this run's error, if a metric is not JSON-able
      return new RunOutcome(task, out, null, start, Instant.now());
    } catch (Throwable e) { // an experiment bug (even an Error such as StackOverflowError) fails this run only
      return new RunOutcome(task, null, describe(e), start, Instant.now());
    }
  }

  /** {@code out} with the artifact {@code timed_on}: the host whose clock timed this run (metrics unchanged). */
  static RunOutput timedOn(RunOutput out) {
    Map<String, Object> artifacts = new LinkedHashMap<>(out.artifacts());
    artifacts.put("timed_on", host());
    return new RunOutput(out.metrics(), artifacts);
  }

  /** This machine's host name ("unknown" if it cannot be resolved). */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown" : env;
    }
  }

  /** "Class: message" plus the first stack frames, enough to find the bug from the report. */
  static String describe(Throwable e) {
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    String[] lines = sw.toString().split("\\R");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, 6); i++) sb.append(i > 0 ? "\n" : "").append(lines[i].strip());
    return sb.toString();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
