package org.ptlab.tensor.kernel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads used by kernels above a work threshold.
 *
 * <p>{@link #forEach} runs a caller-chosen, fixed partition of tasks: which thread runs a task may vary
 * from call to call, but what each task computes does not, so results never depend on scheduling or on
 * the thread count. The caller thread always takes part and claims tasks itself, so a call completes even
 * when every worker is busy with another caller's job (pools are shared between independent runs).
 *
 * <p>Workers spin for a few microseconds after finishing a job before they park, so that the back-to-back
 * kernel calls of a training step do not each pay a thread wake-up.
 */
public final class Parallel {
  /**
   * Spin iterations (each one {@link Thread#onSpinWait}, ~20-70 ns) before a worker or waiter parks: ~0.1–0.3 ms,
   * longer than the gaps between the pool jobs of a MiniLM forward (at 1 << 10 workers often parked in between and
   * the next job waited for a wake-up; 1 << 12 measured ~1.5 % faster).
   */
  private static final int SPINS = 1 << 12;

  /** Set while the current thread runs tasks of some job: nested forEach calls then run inline. */
  private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

  private static volatile Parallel defaults;

  private final int threads;
  private final Worker[] workers;
  private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();

  private Parallel(int threads) {
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(this, i);
      workers[i].start();
    }
  }

  /** A new pool of {@code threads - 1} daemon workers plus the caller; 1 means everything runs inline. */
  public static Parallel of(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Parallel.of: threads must be >= 1, got " + threads);
    }
    return new Parallel(threads);
  }

  /**
   * The shared pool, created on first use: system property {@code ptlab.threads} if set, else
   * {@link Runtime#availableProcessors()}.
   */
  public static Parallel defaults() {
    Parallel p = defaults;
    if (p == null) {
      synchronized (Parallel.class) {
        p = defaults;
        if (p == null) {
          p = of(defaultThreads());
          defaults = p;
        }
      }
    }
    return p;
  }

  private static int defaultThreads() {
    String prop = System.getProperty("ptlab.threads");
    if (prop == null || prop.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int n = Integer.parseInt(prop.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("system property ptlab.threads must be an integer >= 1, got '" + prop + "'");
  }

  /** Number of threads that run tasks, the caller included. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body.accept(task)} for every task in {@code [0, tasks)} and returns when all are done; the
   * caller thread takes part. The first exception thrown by a task is rethrown here (remaining tasks are
   * skipped). Calls from inside a task, on any pool, run inline in the calling thread.
   */
  public void forEach(int tasks, IntConsumer body) {
    if (tasks <= 0) {
      return;
    }
    boolean[] inside = INSIDE.get();
    if (threads == 1 || tasks == 1 || inside[0]) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    Job job = new Job(tasks, body, Thread.currentThread());
    int helpers = Math.min(workers.length, tasks - 1);
    for (int i = 0; i < helpers; i++) {
      queue.offer(job); // one ticket per helper; a worker that finds the job drained just drops it
    }
    for (Worker w : workers) {
      if (helpers == 0) {
        break;
      }
      if (w.parked) {
        LockSupport.unpark(w);
        helpers--;
      }
    }
    inside[0] = true;
    try {
      job.run();
    } finally {
      inside[0] = false;
    }
    job.await();
    Throwable e = job.error;
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    if (e != null) {
      throw new RuntimeException(e);
    }
  }

  /** One forEach call: tasks are claimed by index from {@code next}; {@code done} counts finished ones. */
  private static final class Job {
    final int tasks;
    final IntConsumer body;
    final Thread owner;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable error;

    Job(int tasks, IntConsumer body, Thread owner) {
      this.tasks = tasks;
      this.body = body;
      this.owner = owner;
    }

    void run() {
      int t;
      while ((t = next.getAndIncrement()) < tasks) {
        try {
          if (error == null) {
            body.accept(t);
          }
        } catch (Throwable e) {
          synchronized (this) {
            if (error == null) {
              error = e;
            }
          }
        } finally {
          if (done.incrementAndGet() == tasks && Thread.currentThread() != owner) {
            LockSupport.unpark(owner); // the owner may be parked in await()
          }
        }
      }
    }

    void await() {
      for (int i = 0; i < SPINS && done.get() < tasks; i++) {
        Thread.onSpinWait();
      }
      while (done.get() < tasks) {
        LockSupport.park(this);
      }
    }
  }

  private static final class Worker extends Thread {
    final Parallel pool;
    volatile boolean parked;

    Worker(Parallel pool, int index) {
      super("ptlab-parallel-" + System.identityHashCode(pool) + "-" + index);
      this.pool = pool;
      setDaemon(true);
    }

    @Override
    public void run() {
      INSIDE.get()[0] = true; // tasks that call forEach from a worker run their nested calls inline
      int idle = 0;
      while (true) {
        Job job = pool.queue.poll();
        if (job != null) {
          job.run();
          idle = 0;
        } else if (idle < SPINS) {
          idle++;
          Thread.onSpinWait();
        } else {
          parked = true;
          if (pool.queue.isEmpty()) { // re-check after publishing 'parked' so no wake-up is lost
            LockSupport.park(pool);
          }
          parked = false;
        }
      }
    }
  }
}
