package org.ptlab.tensor.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stand-alone GEMM timing (not a test: surefire skips it). Per configuration: at least 2 s of warm-up, then
 * the median of 11 runs, each run repeating the call for at least 50 ms. GFLOP/s = 2·M·N·K / time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp CLASSES org.ptlab.tensor.kernel.MatMulKernelTiming \
 *     [quick] [f32|f64|shapes]
 * </pre>
 * {@code quick} warms up for 0.5 s only; naming parts runs only those (default: all).
 */
public final class MatMulKernelTiming {
  private static final double WARMUP_S = 2.0;
  private static final int RUNS = 11;
  private static final double RUN_S = 0.05;
  /** A row counts as uncontended when the kernel peak right after it is within 15% of the idle peak. */
  private static final double CLEAN = 0.85;
  private static final int ATTEMPTS = 4;
  /** Kernel peak of idle cores, by thread count (index 1 and 2). */
  private static final double[] IDLE_PEAK = new double[3];

  private MatMulKernelTiming() {}

  /** One gemm call on fixed operands; returns nothing, the output array is the side effect. */
  private interface Call {
    void run();
  }

  public static void main(String[] args) {
    List<String> parts = new ArrayList<>(Arrays.asList(args));
    double warm = parts.remove("quick") ? 0.5 : WARMUP_S;
    if (parts.isEmpty()) {
      parts.addAll(List.of("f32", "f64", "shapes"));
    }
    Parallel p1 = Parallel.of(1), p2 = Parallel.of(2);
    System.out.printf("java %s, %s, vector species %d bits%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
    IDLE_PEAK[1] = peak(p1, warm);
    IDLE_PEAK[2] = 2 * IDLE_PEAK[1]; // two idle cores; a measurement of it could already be disturbed
    System.out.printf("f32 micro-kernel in L1: %.1f GFLOP/s on 1 thread, %.1f on 2 now%n", IDLE_PEAK[1],
        peak(p2, warm));
    System.out.println("(each row: median; then the kernel peak on the same threads right after it, '*' if other");
    System.out.println(" load kept it more than 15% below the idle peak in all " + ATTEMPTS + " attempts)");
    System.out.println("dtype  op    n     threads  GFLOP/s   ms/call   kernel peak after");
    for (boolean f64 : new boolean[] {false, true}) {
      if (!parts.contains(f64 ? "f64" : "f32")) {
        continue;
      }
      for (int n : new int[] {256, 512, 1024}) {
        for (Parallel par : new Parallel[] {p1, p2}) {
          report(f64, false, false, n, n, n, par, warm);
        }
      }
      for (boolean[] t : new boolean[][] {{false, true}, {true, false}, {true, true}}) {
        report(f64, t[0], t[1], 1024, 1024, 1024, p2, warm);
      }
    }
    if (!parts.contains("shapes")) {
      return;
    }
    // Transformer-layer and theory-regime shapes: microseconds per call.
    System.out.println("shape                                   threads  us/call  GFLOP/s  kernel peak after");
    small("linear x·Wᵀ [416,384]x[1536,384]ᵀ", 1, false, true, 416, 1536, 384, 0, p2, warm);
    small("wgrad Xᵀ·dY [416,384]ᵀx[416,1536]", 1, true, false, 384, 1536, 416, 0, p2, warm);
    small("[128,8]x[8,16]", 1, false, false, 128, 16, 8, 0, p2, warm);
    small("16 x [8,8]x[8,8]", 16, false, false, 8, 8, 8, 64, p2, warm);
    small("16 x [8,8]x[8,8]ᵀ", 16, false, true, 8, 8, 8, 64, p2, warm);
    small("128 x [40,16]x[16,40]ᵀ (attention)", 128, false, true, 40, 40, 16, 640, p2, warm);
  }

  /**
   * The micro-kernel alone on L1-resident panels, on every thread of {@code par}: what the cores deliver at
   * the moment. The machines are shared (other processes, vCPUs that may share a physical core), so read the
   * GEMM figures against this.
   */
  private static double peak(Parallel par, double warm) {
    int kc = MatMulKernelF32.KC, mr = MatMulKernelF32.MR, nr = MatMulKernelF32.NR, panels = 8, reps = 200;
    int as = MatMulKernelF32.AS; // A panels: mr rows at this stride
    Call call = () -> par.forEach(par.threads(), t -> {
      float[] a = new float[panels * mr * as], b = new float[kc * nr], tile = new float[mr * nr];
      Arrays.fill(a, 0.5f);
      Arrays.fill(b, 0.25f);
      for (int r = 0; r < reps; r++) {
        for (int p = 0; p < panels; p++) {
          if (mr == 12) {
            MatMulKernelF32.kernel12(kc, a, p * mr * as, b, 0, tile);
          } else {
            MatMulKernelF32.kernel6(kc, a, p * mr * as, b, 0, tile);
          }
        }
      }
    });
    double s = time(call, warm);
    return 2.0 * mr * nr * kc * panels * reps * par.threads() / s * 1e-9;
  }

  private static void report(boolean f64, boolean tA, boolean tB, int m, int n, int k, Parallel par, double warm) {
    double[] sp = clean(call(f64, 1, tA, tB, m, n, k, 0, par), par, warm);
    System.out.printf("%s    %s  %5d  %d        %6.1f    %7.3f   %6.1f%s%n", f64 ? "f64" : "f32",
        (tA ? "T" : "N") + (tB ? "T" : "N") + "  ", n, par.threads(), 2.0 * m * n * k / sp[0] * 1e-9, sp[0] * 1e3,
        sp[1], sp[1] < CLEAN * IDLE_PEAK[par.threads()] ? " *" : "");
  }

  private static void small(String name, int batch, boolean tA, boolean tB, int m, int n, int k, int stride,
                            Parallel par, double warm) {
    for (boolean f64 : new boolean[] {false, true}) {
      double[] sp = clean(call(f64, batch, tA, tB, m, n, k, stride, par), par, warm);
      System.out.printf("%-4s %-36s %d  %8.2f  %6.1f  %6.1f%s%n", f64 ? "f64" : "f32", name, par.threads(),
          sp[0] * 1e6, 2.0 * batch * m * n * k / sp[0] * 1e-9, sp[1], sp[1] < CLEAN * IDLE_PEAK[2] ? " *" : "");
    }
  }

  private static Call call(boolean f64, int batch, boolean tA, boolean tB, int m, int n, int k, int stride,
                           Parallel par) {
    Random r = new Random(42);
    int sa = stride == 0 ? 0 : m * k, sb = stride == 0 ? 0 : k * n, sc = m * n;
    int lda = tA ? m : k, ldb = tB ? k : n;
    if (f64) {
      double[] a = new double[Math.max(1, batch * sa) + m * k], b = new double[Math.max(1, batch * sb) + k * n];
      double[] c = new double[batch * sc];
      Arrays.setAll(a, i -> r.nextDouble() - 0.5);
      Arrays.setAll(b, i -> r.nextDouble() - 0.5);
      return () -> MatMulKernelF64.gemm(batch, tA, tB, m, n, k, a, 0, lda, sa, b, 0, ldb, sb, c, 0, n, sc, false,
          par);
    }
    float[] a = new float[Math.max(1, batch * sa) + m * k], b = new float[Math.max(1, batch * sb) + k * n];
    float[] c = new float[batch * sc];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextFloat() - 0.5f;
    }
    return () -> MatMulKernelF32.gemm(batch, tA, tB, m, n, k, a, 0, lda, sa, b, 0, ldb, sb, c, 0, n, sc, false, par);
  }

  /** {median seconds per call, kernel peak right after}, retried while other load depresses the peak. */
  private static double[] clean(Call call, Parallel par, double warm) {
    double[] sp = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      double[] now = {time(call, i == 0 ? warm : 0.2), peak(par, 0.1)};
      if (sp == null || now[1] > sp[1]) {
        sp = now; // keep the attempt that ran with the least interference
      }
      if (now[1] >= CLEAN * IDLE_PEAK[par.threads()]) {
        break;
      }
    }
    return sp;
  }

  /** Median seconds per call. */
  private static double time(Call call, double warm) {
    long end = System.nanoTime() + (long) (warm * 1e9);
    int reps = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      call.run();
      reps++;
    }
    double perCall = (System.nanoTime() - t0) * 1e-9 / reps;
    int inner = (int) Math.max(1, Math.ceil(RUN_S / perCall));
    double[] runs = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long s = System.nanoTime();
      for (int j = 0; j < inner; j++) {
        call.run();
      }
      runs[i] = (System.nanoTime() - s) * 1e-9 / inner;
    }
    Arrays.sort(runs);
    return runs[RUNS / 2];
  }
}
