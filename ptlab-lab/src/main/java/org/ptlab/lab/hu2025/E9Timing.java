package org.ptlab.lab.hu2025;

import java.util.Arrays;
import org.ptlab.tensor.kernel.JitQuiet;

/**
 * Wall-clock medians for E9. Timing is the one part of E9 that is not bit-reproducible (the machine is shared);
 * every other metric is a function of the seed. Contenders are run interleaved (a, b, a, b, …) after warm-up so
 * that load which comes and goes hits both alike, and E9's runs hold one lock while they run so that two of them
 * never compete for the cores (runs of other experiments may still run beside them; E9 then waits for nothing
 * but itself).
 */
final class E9Timing {
  /** Serialises E9's runs (it changes timings and wall time, never results). */
  static final Object LOCK = new Object();
  /** Longest wait for a quiet JIT per timed point: 15 × minSeconds, at most this (smoke grids, minSeconds 0: none). */
  static final double JIT_QUIET_CAP_SECONDS = 3.0;

  private E9Timing() {}

  /**
   * Medians (ms) of interleaved runs: warm-up of each until 2 runs and {@code minSeconds}/2 (at most 200 runs: small
   * problems get the JIT to compile them), then all of them until the JIT is quiet ({@link JitQuiet}), then
   * rounds until each has {@code minRuns} runs and {@code minSeconds} of runs, at most 25 runs.
   */
  static double[] medians(int minRuns, double minSeconds, Runnable... contenders) {
    synchronized (LOCK) {
      for (Runnable c : contenders) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 200 && (i < 2 || System.nanoTime() - t0 < minSeconds * 0.5e9); i++) c.run();
      }
      JitQuiet.await(Math.min(JIT_QUIET_CAP_SECONDS, 15 * minSeconds), () -> {
        for (Runnable c : contenders) c.run();
      });
      double[][] ms = new double[contenders.length][25];
      double[] total = new double[contenders.length];
      int runs = 0;
      while (runs < 25 && (runs < minRuns || Arrays.stream(total).min().orElse(0) < minSeconds * 1e3)) {
        for (int i = 0; i < contenders.length; i++) {
          long t0 = System.nanoTime();
          contenders[i].run();
          ms[i][runs] = (System.nanoTime() - t0) / 1e6;
          total[i] += ms[i][runs];
        }
        runs++;
      }
      double[] out = new double[contenders.length];
      for (int i = 0; i < out.length; i++) out[i] = median(Arrays.copyOf(ms[i], runs));
      return out;
    }
  }

  /**
   * Runs the workloads in turn for {@code seconds} (at least once each), untimed: C2 compiles the Vector API
   * kernels only after some hundreds of calls (measured: the engine's exact attention at n = 256 takes 17 ms per
   * call for its first 1 s, 0.15 ms after), so a sweep's first points would otherwise time the interpreter.
   */
  static void warmUp(double seconds, Runnable... workloads) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    do {
      for (Runnable r : workloads) r.run();
    } while (System.nanoTime() < end);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** The entries of {@code y} whose {@code x} is at least {@code min}. */
  static double[] from(double[] x, double[] y, double min) {
    return java.util.stream.IntStream.range(0, x.length).filter(i -> x[i] >= min).mapToDouble(i -> y[i]).toArray();
  }

  /** Least-squares slope of log y against log x. */
  static double logLogSlope(double[] x, double[] y) {
    int n = 0;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      if (!(y[i] > 0)) continue;
      mx += Math.log(x[i]);
      my += Math.log(y[i]);
      n++;
    }
    if (n < 2) return Double.NaN;
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      if (!(y[i] > 0)) continue;
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxy / sxx;
  }

  /**
   * The n where slow/fast crosses 1, interpolated on log-log axes between the grid points around the last crossing;
   * the first n if fast wins everywhere; NaN if it never wins (points with no slow time are skipped).
   */
  static double crossover(double[] n, double[] slow, double[] fast) {
    double crossing = Double.NaN;
    double prevN = Double.NaN;
    double prevLog = Double.NaN;
    for (int i = 0; i < n.length; i++) {
      if (!(slow[i] > 0 && fast[i] > 0)) continue;
      double lr = Math.log(slow[i] / fast[i]);
      if (lr <= 0) {
        crossing = Double.NaN;
      } else if (Double.isNaN(crossing)) {
        crossing = Double.isNaN(prevN) ? n[i]
            : Math.exp(Math.log(prevN) + (Math.log(n[i]) - Math.log(prevN)) * (-prevLog) / (lr - prevLog));
      }
      prevN = n[i];
      prevLog = lr;
    }
    return crossing;
  }
}
