package org.ptlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interleaved timing for contenders whose single run spans 0.05 ms to 20 s (attention from n = 256 to 65536).
 * DESIGN.md's rule (warm up ≥ 10 runs and ≥ 2 s, then ≥ 30 runs, median) is kept for short runs and adapted for
 * long ones so that one point does not take minutes:
 * <ul>
 *   <li>warm-up: until 2 s have passed and 10 runs are done, but stop adding runs after 4 s (a 15 s run warms
 *       once: the JIT has long compiled the kernels on the smaller points before);
 *   <li>timed: {@link #ROUNDS} interleaved rounds (exact, fast, libtorch at 1 and 2 threads in turn, so drifting
 *       load on the shared machine hits them alike); in each round a contender runs until it has 10 runs and
 *       2/3 s, or 1 run once 5 s have passed. So short runs get ≥ 30 samples, a run of seconds gets 3;
 *   <li>the median of the samples is reported with the sample count.
 * </ul>
 */
final class AttentionTiming {
  static final int ROUNDS = 3;

  private AttentionTiming() {}

  /** One contender: a name, what to set before each of its rounds (e.g. libtorch's threads; may be null), its run. */
  record Contender(String name, Runnable prepare, Runnable run) {}

  /** Median ms and number of timed runs. */
  record Result(String name, double medianMs, int runs) {}

  static List<Result> time(List<Contender> contenders, boolean quick) {
    double warmMin = quick ? 0.3 : 2.0;
    double warmCap = quick ? 0.6 : 4.0;
    double roundMin = quick ? 0.1 : 2.0 / ROUNDS;
    double roundCap = quick ? 1.0 : 5.0;
    int warmRuns = quick ? 3 : 10;
    int roundRuns = quick ? 3 : 10;
    for (Contender c : contenders) {
      if (c.prepare() != null) c.prepare().run();
      long t0 = System.nanoTime();
      for (int i = 0; ; i++) {
        double el = (System.nanoTime() - t0) / 1e9;
        if (el >= warmMin && (i >= warmRuns || el >= warmCap)) break;
        c.run().run();
      }
    }
    List<double[]> samples = new ArrayList<>();
    int[] counts = new int[contenders.size()];
    for (int i = 0; i < contenders.size(); i++) samples.add(new double[64]);
    for (int r = 0; r < ROUNDS; r++) {
      for (int i = 0; i < contenders.size(); i++) {
        if (contenders.get(i).prepare() != null) contenders.get(i).prepare().run();
        long start = System.nanoTime();
        for (int k = 0; ; k++) {
          double el = (System.nanoTime() - start) / 1e9;
          if (k >= 1 && ((k >= roundRuns && el >= roundMin) || el >= roundCap)) break;
          long t0 = System.nanoTime();
          contenders.get(i).run().run();
          double ms = (System.nanoTime() - t0) / 1e6;
          if (counts[i] == samples.get(i).length) samples.set(i, Arrays.copyOf(samples.get(i), 2 * counts[i]));
          samples.get(i)[counts[i]++] = ms;
        }
      }
    }
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < contenders.size(); i++) {
      double[] s = Arrays.copyOf(samples.get(i), counts[i]);
      Arrays.sort(s);
      int n = s.length;
      out.add(new Result(contenders.get(i).name(), n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]), n));
    }
    return out;
  }
}
