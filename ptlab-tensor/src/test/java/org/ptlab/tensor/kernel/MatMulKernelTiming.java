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
 * java --add-modules jdk.incubator.vector -cp CLASSES org.ptlab.tensor.kernel.MatMulKernelTiming [quick]
 * </pre>
 */
public final class MatMulKernelTiming {
  private static final double WARMUP_S = 2.0;
  private static final int RUNS = 11;
  private static final double RUN_S = 0.05;

  private MatMulKernelTiming() {}

  /** One gemm call on fixed operands; returns nothing, the output array is the side effect. */
  private interface Call {
    void run();
  }

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
    double warm = quick ? 0.5 : WARMUP_S;
    Parallel p1 = Parallel.of(1), p2 = Parallel.of(2);
    System.out.printf("java %s, %s, vector species %d bits%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
    System.out.println("dtype  op    n     threads  GFLOP/s   ms/call");
    List<String> rows = new ArrayList<>();
    for (boolean f64 : new boolean[] {false, true}) {
      for (int n : new int[] {256, 512, 1024}) {
        for (Parallel par : new Parallel[] {p1, p2}) {
          report(f64, false, false, n, n, n, par, warm);
        }
      }
      for (boolean[] t : new boolean[][] {{false, true}, {true, false}, {true, true}}) {
        report(f64, t[0], t[1], 1024, 1024, 1024, p2, warm);
      }
    }
    // Transformer-layer and theory-regime shapes: microseconds per call.
    System.out.println("shape                                   threads  us/call  GFLOP/s");
    small("linear x·Wᵀ [416,384]x[1536,384]ᵀ", 1, false, true, 416, 1536, 384, 0, p2, warm);
    small("wgrad Xᵀ·dY [416,384]ᵀx[416,1536]", 1, true, false, 384, 1536, 416, 0, p2, warm);
    small("[128,8]x[8,16]", 1, false, false, 128, 16, 8, 0, p2, warm);
    small("16 x [8,8]x[8,8]", 16, false, false, 8, 8, 8, 64, p2, warm);
    small("16 x [8,8]x[8,8]ᵀ", 16, false, true, 8, 8, 8, 64, p2, warm);
    small("128 x [40,16]x[16,40]ᵀ (attention)", 128, false, true, 40, 40, 16, 640, p2, warm);
  }

  private static void report(boolean f64, boolean tA, boolean tB, int m, int n, int k, Parallel par, double warm) {
    double s = time(call(f64, 1, tA, tB, m, n, k, 0, par), warm);
    System.out.printf("%s    %s  %5d  %d        %6.1f    %.3f%n", f64 ? "f64" : "f32",
        (tA ? "T" : "N") + (tB ? "T" : "N") + "  ", n, par.threads(), 2.0 * m * n * k / s * 1e-9, s * 1e3);
  }

  private static void small(String name, int batch, boolean tA, boolean tB, int m, int n, int k, int stride,
                            Parallel par, double warm) {
    for (boolean f64 : new boolean[] {false, true}) {
      double s = time(call(f64, batch, tA, tB, m, n, k, stride, par), warm);
      System.out.printf("%-4s %-36s %d  %8.2f  %6.1f%n", f64 ? "f64" : "f32", name, par.threads(), s * 1e6,
          2.0 * batch * m * n * k / s * 1e-9);
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
      return () -> MatMulKernelF64.gemm(batch, tA, tB, m, n, k, a, 0, lda, sa, b, 0, ldb, sb, c, 0, n, sc, false, par);
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
