package org.ptlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ptlab.tensor.kernel.JitQuiet;

/**
 * Wall-clock timing per DESIGN.md: warm up for at least {@code warmSteps} and {@code warmSeconds}, then until the JIT
 * is quiet ({@link JitQuiet}, at most 3 s), then time at least {@code minSteps} steps and {@code minSeconds}, each
 * step on its own, and report the median. Only the step itself is inside the timed interval.
 *
 * <p>The machines are shared, and other processes' load drifts during a run. So the contenders of one comparison
 * (PTLab, libtorch at 1 thread, at 2 threads) are timed interleaved: the measurement is cut into rounds, and in
 * each round every contender runs its share, after two untimed steps (a thread-count switch settles in them).
 * Load that comes and goes then hits every contender alike, and the ratio stays meaningful.
 */
final class Timing {
  /** Longest wait for a quiet JIT after the warm-up. */
  static final double JIT_QUIET_CAP_SECONDS = 3.0;

  private Timing() {}

  /** How long to warm up and to measure, and in how many interleaved rounds. */
  record Budget(int warmSteps, double warmSeconds, int minSteps, double minSeconds, int rounds) {
    /** Training steps: 10 warm-up steps and 2 s, then 30 steps (200 for sub-millisecond steps) and 2 s. */
    static Budget steps(boolean quick, boolean tiny) {
      if (quick) return new Budget(3, 0.3, tiny ? 50 : 10, 0.3, 2);
      return new Budget(10, 2.0, tiny ? 200 : 30, 2.0, 5);
    }

    /** Matmul products: warm 5 runs and 1 s, then 10 runs and 1 s. */
    static Budget products(boolean quick) {
      return quick ? new Budget(2, 0.2, 5, 0.2, 2) : new Budget(5, 1.0, 10, 1.0, 5);
    }
  }

  /**
   * One side of a comparison.
   *
   * @param prepare runs before each of its rounds (e.g. sets the peer's thread count); may be null
   * @param step the timed unit of work
   */
  record Contender(String name, Runnable prepare, Runnable step) {}

  /**
   * Median and spread of the timed steps.
   *
   * @param medianMs median milliseconds per step
   * @param minMs fastest step
   * @param p90Ms 90th percentile
   * @param steps number of timed steps
   */
  record Result(String name, double medianMs, double minMs, double p90Ms, int steps) {}

  /** Times the contenders interleaved per {@code budget}; results in the contenders' order. */
  static List<Result> interleaved(List<Contender> contenders, Budget budget) {
    for (Contender c : contenders) {
      prepare(c);
      long warmEnd = System.nanoTime() + (long) (budget.warmSeconds() * 1e9);
      for (int i = 0; i < budget.warmSteps() || System.nanoTime() < warmEnd; i++) c.step().run();
    }
    // then all of them until the JIT is quiet (a background compile takes a core from the timed steps)
    JitQuiet.await(JIT_QUIET_CAP_SECONDS, () -> {
      for (Contender c : contenders) {
        prepare(c);
        c.step().run();
      }
    });
    int stepsPerRound = (budget.minSteps() + budget.rounds() - 1) / budget.rounds();
    long nanosPerRound = (long) (budget.minSeconds() * 1e9 / budget.rounds());
    List<Samples> samples = new ArrayList<>();
    for (int i = 0; i < contenders.size(); i++) samples.add(new Samples());
    for (int r = 0; r < budget.rounds(); r++) {
      for (int i = 0; i < contenders.size(); i++) {
        Contender c = contenders.get(i);
        prepare(c);
        c.step().run();
        c.step().run();
        Samples s = samples.get(i);
        long end = System.nanoTime() + nanosPerRound;
        for (int n = 0; n < stepsPerRound || System.nanoTime() < end; n++) {
          long t0 = System.nanoTime();
          c.step().run();
          s.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < contenders.size(); i++) out.add(samples.get(i).result(contenders.get(i).name()));
    return out;
  }

  /** The fastest of {@code results} (smallest median). */
  static Result fastest(List<Result> results) {
    Result best = results.get(0);
    for (Result r : results) if (r.medianMs() < best.medianMs()) best = r;
    return best;
  }

  private static void prepare(Contender c) {
    if (c.prepare() != null) c.prepare().run();
  }

  /** A growing list of step times in ms. */
  private static final class Samples {
    double[] ms = new double[256];
    int n;

    void add(double v) {
      if (n == ms.length) ms = Arrays.copyOf(ms, 2 * n);
      ms[n++] = v;
    }

    Result result(String name) {
      double[] s = Arrays.copyOf(ms, n);
      Arrays.sort(s);
      double median = n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
      return new Result(name, median, s[0], s[(int) Math.round(0.9 * (n - 1))], n);
    }
  }
}
