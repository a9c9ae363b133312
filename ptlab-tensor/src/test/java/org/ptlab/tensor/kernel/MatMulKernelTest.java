package org.ptlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * GEMM kernels against a naive triple loop in double, on shapes that reach both the unpacked loops and the
 * packed micro-kernel path (more than 2^20 multiply-adds, M > 12, N > 32), and the pool they run on.
 */
class MatMulKernelTest {
  private static final Parallel ONE = Parallel.of(1);
  private static final Parallel TWO = Parallel.of(2);
  private static final Parallel THREE = Parallel.of(3);

  /** One problem: op(A)[M,K]·op(B)[K,N] over a batch, stored with offsets and padded row strides. */
  private static final class Case {
    final int batch, m, n, k, aOff, lda, strideA, bOff, ldb, strideB, cOff, ldc, strideC;
    final boolean transA, transB;
    final double[] a, b, c0; // the data, exactly representable in float

    Case(Random r, int batch, boolean transA, boolean transB, int m, int n, int k, boolean shareA, boolean shareB) {
      this.batch = batch;
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
      int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
      lda = aCols + r.nextInt(3);
      ldb = bCols + r.nextInt(3);
      ldc = n + r.nextInt(3);
      aOff = r.nextInt(4);
      bOff = r.nextInt(4);
      cOff = r.nextInt(4);
      strideA = shareA ? 0 : aRows * lda + r.nextInt(3);
      strideB = shareB ? 0 : bRows * ldb + r.nextInt(3);
      strideC = m * ldc + r.nextInt(3);
      a = fill(r, aOff + Math.max(1, batch * strideA) + aRows * lda);
      b = fill(r, bOff + Math.max(1, batch * strideB) + bRows * ldb);
      c0 = fill(r, cOff + batch * strideC);
    }

    private static double[] fill(Random r, int len) {
      double[] x = new double[len];
      for (int i = 0; i < len; i++) {
        x[i] = (float) (2 * r.nextDouble() - 1);
      }
      return x;
    }

    double opA(int i, int row, int col) {
      return a[aOff + i * strideA + (transA ? col * lda + row : row * lda + col)];
    }

    double opB(int i, int row, int col) {
      return b[bOff + i * strideB + (transB ? col * ldb + row : row * ldb + col)];
    }

    float[] runF32(boolean accumulate, Parallel par) {
      float[] af = toFloat(a), bf = toFloat(b), cf = toFloat(c0);
      MatMulKernelF32.gemm(batch, transA, transB, m, n, k, af, aOff, lda, strideA, bf, bOff, ldb, strideB,
          cf, cOff, ldc, strideC, accumulate, par);
      assertArrayEquals(toFloat(a), af, "A must not be modified");
      assertArrayEquals(toFloat(b), bf, "B must not be modified");
      return cf;
    }

    double[] runF64(boolean accumulate, Parallel par) {
      double[] cd = c0.clone();
      MatMulKernelF64.gemm(batch, transA, transB, m, n, k, a.clone(), aOff, lda, strideA, b.clone(), bOff, ldb,
          strideB, cd, cOff, ldc, strideC, accumulate, par);
      return cd;
    }

    /** Checks every element of C (and that padding between rows and batches is untouched). */
    void check(double[] got, boolean accumulate, double eps, String what) {
      boolean[] inside = new boolean[c0.length];
      for (int i = 0; i < batch; i++) {
        for (int row = 0; row < m; row++) {
          for (int col = 0; col < n; col++) {
            int idx = cOff + i * strideC + row * ldc + col;
            inside[idx] = true;
            double ref = accumulate ? c0[idx] : 0;
            double abs = accumulate ? Math.abs(c0[idx]) : 0;
            for (int p = 0; p < k; p++) {
              double t = opA(i, row, p) * opB(i, p, col);
              ref += t;
              abs += Math.abs(t);
            }
            double tol = eps * Math.sqrt(k + 1.0) * (abs + 1e-30);
            if (Math.abs(got[idx] - ref) > tol) {
              fail(what + " " + this + ": C_" + i + "[" + row + "," + col + "] = " + got[idx] + ", expected " + ref);
            }
          }
        }
      }
      for (int idx = 0; idx < c0.length; idx++) {
        if (!inside[idx] && got[idx] != c0[idx]) {
          fail(what + " " + this + ": wrote outside C at " + idx);
        }
      }
    }

    @Override
    public String toString() {
      return "batch=" + batch + " " + (transA ? "T" : "N") + (transB ? "T" : "N") + " M=" + m + " N=" + n + " K=" + k
          + " strideA=" + strideA + " strideB=" + strideB;
    }
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  private static void checkBoth(Case c, boolean accumulate, Parallel par) {
    c.check(toDouble(c.runF32(accumulate, par)), accumulate, 2e-6, "f32");
    c.check(c.runF64(accumulate, par), accumulate, 4e-15, "f64");
  }

  @Test
  void smallRandomShapesAllTransposes() {
    Random r = new Random(1);
    for (int t = 0; t < 4; t++) {
      for (int rep = 0; rep < 12; rep++) { // M·N·K ≤ 32·63·32 < 2^16: the unpacked loops of both kernels
        Case c = new Case(r, 1, (t & 1) != 0, (t & 2) != 0, 1 + r.nextInt(32), 1 + r.nextInt(63), 1 + r.nextInt(32),
            false, false);
        assertTrue(MatMulKernelF32.useSimple(c.m, c.n, c.k) && MatMulKernelF64.useSimple(c.m, c.n, c.k));
        checkBoth(c, rep % 2 == 1, ONE);
      }
    }
  }

  @Test
  void shapesAcrossTheFloat32UnpackedThreshold() { // float32 packs those past 2^16 since 2026-12-08
    Random r = new Random(3);
    int packed = 0;
    for (int t = 0; t < 4; t++) {
      for (int rep = 0; rep < 12; rep++) {
        Case c = new Case(r, 1, (t & 1) != 0, (t & 2) != 0, 13 + r.nextInt(48), 33 + r.nextInt(58), 1 + r.nextInt(64),
            false, false);
        if (!MatMulKernelF32.useSimple(c.m, c.n, c.k)) packed++;
        checkBoth(c, rep % 2 == 1, ONE);
      }
    }
    assertTrue(packed >= 12 && packed <= 36, "packed cases: " + packed); // both sides of the threshold
  }

  @Test
  void packedPathAllTransposesWithEdges() {
    Random r = new Random(2);
    // Past 2^20 multiply-adds with M > 12 and N > 32: packed. Odd sizes leave partial micro-tiles; K = 700
    // gives three K blocks (K up to 384 is one), M = 250 three row blocks, N = 1100 two column blocks.
    int[][] shapes = {{100, 70, 200}, {37, 45, 700}, {250, 33, 300}, {13, 1100, 80}};
    for (int t = 0; t < 4; t++) {
      for (int[] s : shapes) {
        assertTrue(!MatMulKernelF32.useSimple(s[0], s[1], s[2]) && !MatMulKernelF64.useSimple(s[0], s[1], s[2]));
        checkBoth(new Case(r, 1, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], false, false), t == 3, TWO);
      }
    }
  }

  /** B packed ahead of time gives the bits of packing on the fly, on any thread count, batched or not. */
  @Test
  void prePackedBIsBitIdentical() {
    Random r = new Random(21);
    // Two K blocks (300), partial panels (N = 45, 1100), two column blocks (1100), several row blocks (250).
    int[][] shapes = {{100, 70, 200}, {37, 45, 700}, {250, 33, 300}, {13, 1100, 80}, {256, 384, 1536}};
    for (int t = 0; t < 4; t++) {
      for (int[] s : shapes) {
        boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
        Case c = new Case(r, 1 + t % 2, transA, transB, s[0], s[1], s[2], false, true);
        float[] bf = toFloat(c.b);
        MatMulKernelF32.PackedB packed = MatMulKernelF32.packB(transB, c.n, c.k, bf, c.bOff, c.ldb);
        for (Parallel par : new Parallel[] {ONE, TWO, THREE}) {
          float[] want = c.runF32(t == 3, par);
          float[] got = toFloat(c.c0);
          MatMulKernelF32.gemm(c.batch, transA, transB, c.m, c.n, c.k, toFloat(c.a), c.aOff, c.lda, c.strideA, bf,
              c.bOff, c.ldb, 0, got, c.cOff, c.ldc, c.strideC, t == 3, par, packed, null, 0);
          assertArrayEquals(want, got, 0f, c + " with B packed ahead, " + par.threads() + " threads");
        }
      }
    }
    float[] b = new float[40 * 50];
    MatMulKernelF32.PackedB packed = MatMulKernelF32.packB(true, 40, 50, b, 0, 50);
    assertThrows(IllegalArgumentException.class, () -> MatMulKernelF32.gemm(1, false, false, 64, 40, 50,
        new float[64 * 50], 0, 50, 0, b, 0, 40, 0, new float[64 * 40], 0, 40, 0, false, ONE, packed, null, 0));
  }

  /**
   * A row-major op(A) whose row stride is the packed stride AS is read in place: full row tiles from A itself, the
   * partial last one from a padded copy (A's array ends right after its last row here, so reading past it would
   * throw). Bit-identical to the same product with a padded stride, which packs.
   */
  @Test
  void aWithRowStrideAsIsReadInPlace() {
    Random r = new Random(23);
    int as = MatMulKernelF32.AS;
    for (int[] s : new int[][] {{37, 70, as}, {100, 45, 200}, {25, 300, as}, {256, 384, as}}) {
      int m = s[0], n = s[1], k = s[2];
      float[] a = new float[(m - 1) * as + k], aPadded = new float[m * (as + 1)];
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) a[i * as + p] = aPadded[i * (as + 1) + p] = r.nextFloat() - 0.5f;
      }
      float[] b = new float[n * k];
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
      for (Parallel par : new Parallel[] {ONE, TWO, THREE}) {
        float[] got = new float[m * n], want = new float[m * n];
        MatMulKernelF32.gemm(1, false, true, m, n, k, a, 0, as, 0, b, 0, k, 0, got, 0, n, 0, false, par);
        MatMulKernelF32.gemm(1, false, true, m, n, k, aPadded, 0, as + 1, 0, b, 0, k, 0, want, 0, n, 0, false, par);
        assertArrayEquals(want, got, 0f, m + "x" + n + "x" + k + " on " + par.threads() + " threads");
        for (int i = 0; i < m; i += 7) {
          for (int j = 0; j < n; j += 5) {
            double ref = 0;
            for (int p = 0; p < k; p++) ref += (double) a[i * as + p] * b[j * k + p];
            assertEquals(ref, got[i * n + j], 1e-4, "C[" + i + "," + j + "]");
          }
        }
      }
    }
  }

  /** A bias added by the kernel as C completes equals adding it afterwards, bit for bit, on every path. */
  @Test
  void biasEqualsAddingItAfterwards() {
    Random r = new Random(29);
    int[][] shapes = {{5, 7, 3}, {37, 45, 700}, {250, 33, 300}, {13, 1100, 80}, {3, 40, 6000}, {64, 40, 0}};
    for (int t = 0; t < 4; t++) {
      for (int[] s : shapes) {
        Case c = new Case(r, 1 + t % 2, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], false, t == 2);
        float[] bias = new float[3 + c.n];
        for (int j = 0; j < bias.length; j++) bias[j] = r.nextFloat() - 0.5f;
        for (Parallel par : new Parallel[] {ONE, TWO}) {
          float[] want = c.runF32(t == 1, par);
          for (int i = 0; i < c.batch; i++) {
            for (int row = 0; row < c.m; row++) {
              for (int col = 0; col < c.n; col++) want[c.cOff + i * c.strideC + row * c.ldc + col] += bias[3 + col];
            }
          }
          float[] got = toFloat(c.c0);
          MatMulKernelF32.gemm(c.batch, c.transA, c.transB, c.m, c.n, c.k, toFloat(c.a), c.aOff, c.lda, c.strideA,
              toFloat(c.b), c.bOff, c.ldb, c.strideB, got, c.cOff, c.ldc, c.strideC, t == 1, par, null, bias, 3);
          assertArrayEquals(want, got, 0f, c + " with a bias, " + par.threads() + " threads");
        }
      }
    }
  }

  @Test
  void batchesWithSharedOperands() {
    Random r = new Random(3);
    int[][] shapes = {{5, 7, 3}, {8, 8, 8}, {60, 50, 400}}; // unpacked, unpacked, packed
    for (int[] s : shapes) {
      for (int share = 0; share < 3; share++) {
        Case c = new Case(r, 3, share == 1, share == 2, s[0], s[1], s[2], share == 1, share == 2);
        checkBoth(c, share == 0, TWO);
      }
    }
  }

  @Test
  void narrowAndFlatShapes() {
    Random r = new Random(4);
    // Unpacked on purpose (M <= 12 or N <= 32) though large; the last two cut K to bound the copy of op(B).
    int[][] shapes = {{1, 1, 1}, {1, 1, 9}, {1, 40, 1}, {40, 1, 1}, {1, 300, 500}, {300, 1, 500}, {7, 400, 300},
        {400, 7, 300}, {300, 24, 200}, {400, 40, 3}, {3, 40, 6000}, {4, 20, 17000}};
    for (int t = 0; t < 4; t++) {
      for (int[] s : shapes) {
        Case c = new Case(r, 1 + t % 2, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], false, false);
        checkBoth(c, t % 2 == 0, TWO);
      }
    }
  }

  @Test
  void microKernelsMatchNaiveProducts() {
    Random r = new Random(9);
    int kc = 37;
    for (int mr : new int[] {12, 6}) { // 6 rows is the kernel for 16-register vector ISAs: test it here too
      int nf = MatMulKernelF32.NR, nd = MatMulKernelF64.NR;
      float[] af = new float[kc * mr], bf = new float[kc * nf], tf = new float[mr * nf];
      double[] ad = new double[kc * mr], bd = new double[kc * nd], td = new double[mr * nd];
      for (int i = 0; i < af.length; i++) {
        ad[i] = af[i] = r.nextFloat() - 0.5f;
      }
      for (int i = 0; i < bf.length; i++) {
        bf[i] = r.nextFloat() - 0.5f;
      }
      for (int i = 0; i < bd.length; i++) {
        bd[i] = r.nextDouble() - 0.5;
      }
      // the f32 kernels read their rows at stride AS (here from offset 5), the f64 ones a k-major panel
      float[] af2 = new float[5 + mr * MatMulKernelF32.AS];
      for (int i = 0; i < mr; i++) {
        for (int p = 0; p < kc; p++) af2[5 + i * MatMulKernelF32.AS + p] = af[p * mr + i];
      }
      if (mr == 12) {
        MatMulKernelF32.kernel12(kc, af2, 5, bf, 0, tf);
        MatMulKernelF64.kernel12(kc, ad, 0, bd, 0, td);
      } else {
        MatMulKernelF32.kernel6(kc, af2, 5, bf, 0, tf);
        MatMulKernelF64.kernel6(kc, ad, 0, bd, 0, td);
      }
      for (int i = 0; i < mr; i++) {
        for (int j = 0; j < MatMulKernelF32.NR; j++) {
          float want = 0f;
          for (int p = 0; p < kc; p++) {
            want = Math.fma(af[p * mr + i], bf[p * MatMulKernelF32.NR + j], want); // the same chain, so exact
          }
          assertEquals(want, tf[i * MatMulKernelF32.NR + j], "f32 kernel" + mr + " at " + i + "," + j);
        }
        for (int j = 0; j < MatMulKernelF64.NR; j++) {
          double want = 0;
          for (int p = 0; p < kc; p++) {
            want = Math.fma(ad[p * mr + i], bd[p * MatMulKernelF64.NR + j], want);
          }
          assertEquals(want, td[i * MatMulKernelF64.NR + j], "f64 kernel" + mr + " at " + i + "," + j);
        }
      }
    }
  }

  @Test
  void emptySumZeroesOrKeepsC() {
    Case c = new Case(new Random(5), 2, false, false, 3, 4, 0, false, false);
    checkBoth(c, false, ONE); // C = 0
    checkBoth(c, true, ONE); // C unchanged
    float[] cf = {1, 2};
    MatMulKernelF32.gemm(0, false, false, 1, 2, 3, new float[0], 0, 3, 0, new float[0], 0, 2, 0, cf, 0, 2, 2,
        false, ONE); // empty batch: nothing to do, nothing checked
    assertArrayEquals(new float[] {1, 2}, cf);
  }

  @Test
  void float32AgreesWithFloat64() {
    Random r = new Random(6);
    for (int[] s : new int[][] {{30, 20, 50}, {120, 90, 333}}) {
      Case c = new Case(r, 1, false, true, s[0], s[1], s[2], false, false);
      float[] f = c.runF32(false, TWO);
      double[] d = c.runF64(false, TWO);
      for (int i = 0; i < f.length; i++) {
        double tol = 1e-5 * Math.sqrt(s[2]) * Math.max(1, Math.abs(d[i]));
        assertTrue(Math.abs(f[i] - d[i]) <= tol, "f32 " + f[i] + " vs f64 " + d[i] + " at " + i);
      }
    }
  }

  @Test
  void threadCountNeverChangesBits() {
    Random r = new Random(7);
    Case[] cases = {
        new Case(r, 1, false, false, 300, 257, 190, false, false), // packed, split over columns
        new Case(r, 1, true, true, 150, 120, 300, false, false), // packed, split over rows
        new Case(r, 3, false, true, 200, 100, 64, false, true), // 3 matrices on 2 threads: tiles
        new Case(r, 3, true, false, 300, 20, 100, false, false), // unpacked loops, tiles over rows
        new Case(r, 64, false, false, 20, 40, 30, false, false)}; // many small matrices: split by batch
    for (Case c : cases) {
      float[] f1 = c.runF32(true, ONE);
      double[] d1 = c.runF64(true, ONE);
      for (Parallel par : new Parallel[] {TWO, THREE}) {
        assertArrayEquals(f1, c.runF32(true, par), "f32 " + c + " on " + par.threads() + " threads");
        assertArrayEquals(d1, c.runF64(true, par), "f64 " + c + " on " + par.threads() + " threads");
      }
    }
  }

  @Test
  void rejectsOperandsThatDoNotFit() {
    float[] x = new float[6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatMulKernelF32.gemm(1, false,
        false, 2, 3, 4, x, 0, 4, 0, new float[12], 0, 3, 0, new float[6], 0, 3, 6, false, ONE));
    assertTrue(e.getMessage().contains("operand A"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MatMulKernelF64.gemm(1, false, false, 2, 3, 1,
        new double[2], 0, 1, 0, new double[3], 0, 3, 0, new double[6], 0, 2, 6, false, ONE)); // ldc < N
    assertThrows(IllegalArgumentException.class, () -> Parallel.of(0));
  }

  @Test
  void forEachRunsEveryTaskOnceAndPropagatesExceptions() {
    AtomicIntegerArray seen = new AtomicIntegerArray(1000);
    TWO.forEach(1000, seen::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      assertEquals(1, seen.get(i));
    }
    IllegalStateException boom = new IllegalStateException("task 7");
    IllegalStateException got = assertThrows(IllegalStateException.class, () -> TWO.forEach(50, t -> {
      if (t == 7) {
        throw boom;
      }
    }));
    assertSame(boom, got);
    assertThrows(AssertionError.class, () -> THREE.forEach(3, t -> {
      throw new AssertionError("task " + t);
    }));
    TWO.forEach(0, t -> fail("no tasks")); // the pool still works after failures
  }

  @Test
  void nestedAndConcurrentCallsComplete() throws Exception {
    AtomicInteger inner = new AtomicInteger();
    TWO.forEach(4, t -> TWO.forEach(5, u -> inner.incrementAndGet())); // nested: runs inline, no deadlock
    assertEquals(20, inner.get());
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Case c = new Case(new Random(8), 4, false, false, 40, 60, 120, false, false);
      float[] expected = c.runF32(false, ONE);
      Future<?>[] runs = new Future<?>[6];
      for (int i = 0; i < runs.length; i++) { // independent callers share one pool
        runs[i] = callers.submit(() -> {
          for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(expected, c.runF32(false, THREE));
          }
        });
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
    }
  }
}
