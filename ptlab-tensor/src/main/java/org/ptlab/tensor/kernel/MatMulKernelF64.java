package org.ptlab.tensor.kernel;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched float64 GEMM on flat row-major arrays: {@code C_i = (accumulate ? C_i : 0) + op(A_i)·op(B_i)}.
 *
 * <p>Small, narrow (N ≤ {@link #NR}) and flat (M ≤ {@link #MR}) matrices run unpacked vector loops. The
 * others follow GotoBLAS/BLIS: op(B) is packed in blocks of {@link #KC}×{@link #NC} and op(A) in blocks of
 * {@link #MC}×{@link #KC} into per-thread scratch (packing absorbs the transposes), and a register-blocked
 * micro-kernel computes {@link #MR}×{@link #NR} tiles of C with Vector API FMAs. Above
 * {@link #PARALLEL_WORK} the pool splits the batch, or each matrix into one tile of C per thread; never K.
 *
 * <p>Determinism: each element of C is computed by one task, by the same operations whatever the tiling or
 * thread count. Unpacked: one FMA chain from C (or 0) over k in order. Packed: K is cut into blocks that
 * depend on K alone; within a block an FMA chain from 0 in k order; the blocks are added to C in order.
 * Which of the two runs depends on the shape only. No reductions across lanes (whose order the JIT may change).
 *
 * <p>Thread-safety: calls may run concurrently from any threads; C must not overlap A, B or another C_i.
 * Scratch: each thread that runs a task keeps up to about (MC + NC)·KC doubles (2.3 MiB) of packing buffers.
 */
public final class MatMulKernelF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Micro-tile columns: two vectors. */
  static final int NR = 2 * L;
  /** Micro-tile rows: 12×2 accumulators + 2 B vectors + 1 broadcast fit 32 vector registers (AVX-512). */
  static final int MR = S.vectorBitSize() >= 512 ? 12 : 6;
  /** Depth of a packed block: a KC×NR B micro-panel (32 KiB) stays in L1 while A panels stream past. */
  static final int KC = 256;
  /** Rows of a packed A block (MC×KC, 240 KiB): stays in L2 (1 MiB per core on the target machine). */
  static final int MC = 120;
  /** Columns of a packed B block (KC×NC, 2 MiB): lives in L2/L3; its KC×NR micro-panels are reused from L1. */
  static final int NC = 1024;
  /** Per-matrix M·N·K below which the unpacked loops beat packing (measured: 96³ unpacked, 128³ packed). */
  static final long SMALL_WORK = 1L << 20;
  /** Total batch·M·N·K below which the pool is not used (measured: 64³ gains from 2 threads). */
  static final long PARALLEL_WORK = 1L << 18;

  private MatMulKernelF64() {}

  /** Per-thread packing buffers, grown on demand and then reused: no allocation in the steady state. */
  private static final class Scratch {
    double[] ap = new double[0];
    double[] bp = new double[0];
    final double[] tile = new double[MR * NR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  /** Largest copy of op(B), in elements, that the unpacked loops make (so it stays within the packing buffers). */
  private static final int COPY_LIMIT = KC * NC;

  /**
   * Batched GEMM: for each batch index i in [0, batch): C_i[M,N] = (accumulate ? C_i : 0) + op(A_i)·op(B_i).
   * op(A) is A stored [M,K] (row stride lda) or, if transA, A stored [K,M] used transposed; op(B) is B stored
   * [K,N] (ldb) or, if transB, stored [N,K] used transposed. A_i starts at aOff + i·strideA (strideA may be 0
   * to share A across the batch), likewise B; C_i starts at cOff + i·strideC with row stride ldc.
   * a and b are not modified; c is modified. par may be null (single-threaded).
   */
  public static void gemm(int batch, boolean transA, boolean transB, int M, int N, int K,
                          double[] a, int aOff, int lda, int strideA,
                          double[] b, int bOff, int ldb, int strideB,
                          double[] c, int cOff, int ldc, int strideC,
                          boolean accumulate, Parallel par) {
    if (batch < 0 || M < 0 || N < 0 || K < 0) {
      throw new IllegalArgumentException("gemm: negative size batch=" + batch + " M=" + M + " N=" + N + " K=" + K);
    }
    if (batch == 0 || M == 0 || N == 0) {
      return;
    }
    checkOperand("C", c.length, cOff, ldc, strideC, batch, M, N, true);
    if (K == 0) { // empty sum
      if (!accumulate) {
        for (int i = 0; i < batch; i++) {
          for (int r = 0; r < M; r++) {
            int row = cOff + i * strideC + r * ldc;
            Arrays.fill(c, row, row + N, 0.0);
          }
        }
      }
      return;
    }
    checkOperand("A", a.length, aOff, lda, strideA, batch, transA ? K : M, transA ? M : K, false);
    checkOperand("B", b.length, bOff, ldb, strideB, batch, transB ? N : K, transB ? K : N, false);
    long work = (long) batch * M * N * K;
    int threads = par == null ? 1 : par.threads();
    if (useSimple(M, N, K) && (threads == 1 || work < PARALLEL_WORK)) { // no allocation at all
      for (int i = 0; i < batch; i++) {
        simple(transA, transB, K, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
            c, cOff + i * strideC, ldc, 0, M, 0, N, accumulate);
      }
      return;
    }
    Problem p = new Problem(transA, transB, M, N, K, a, aOff, lda, strideA, b, bOff, ldb, strideB,
        c, cOff, ldc, strideC, accumulate);
    if (threads == 1 || work < PARALLEL_WORK) {
      for (int i = 0; i < batch; i++) {
        p.run(i, 0, M, 0, N);
      }
      return;
    }
    if (batch >= 4 * threads || batch % threads == 0) { // whole matrices per task balance well enough
      int tasks = Math.min(batch, 16 * threads);
      par.forEach(tasks, t -> {
        for (int i = (int) ((long) t * batch / tasks), end = (int) ((long) (t + 1) * batch / tasks); i < end; i++) {
          p.run(i, 0, M, 0, N);
        }
      });
      return;
    }
    // Few matrices: cut each one into `pieces` tiles along its larger side, in whole micro-tiles, so the
    // redundant packing (of A when N is split, of B when M is split) is the smaller one.
    boolean splitN = N >= M;
    int unit = splitN ? NR : MR, extent = splitN ? N : M;
    int pieces = Math.max(1, Math.min(threads, (extent + unit - 1) / unit));
    int units = (extent + unit - 1) / unit;
    par.forEach(batch * pieces, t -> {
      int i = t / pieces, q = t % pieces;
      int lo = Math.min(extent, q * units / pieces * unit), hi = Math.min(extent, (q + 1) * units / pieces * unit);
      if (splitN) {
        p.run(i, 0, M, lo, hi);
      } else {
        p.run(i, lo, hi, 0, N);
      }
    });
  }

  /**
   * Whether a matrix goes to the unpacked loops: when it is small, or when packing would not pay: a few
   * rows only (packing B costs as much as using it) or fewer columns than a micro-tile (padding waste).
   */
  public static boolean useSimple(int M, int N, int K) {
    return (long) M * N * K < SMALL_WORK || M <= MR || N <= NR;
  }

  /** Checks that every element a [rows, cols] operand (row stride ld) touches in every batch is in bounds. */
  private static void checkOperand(String name, int length, int off, int ld, int stride, int batch,
                                   int rows, int cols, boolean isC) {
    long last = off + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
    if (off < 0 || stride < 0 || (isC && batch > 1 && stride == 0) || (rows > 1 && ld < cols) || last >= length) {
      throw new IllegalArgumentException("gemm: operand " + name + " [" + rows + "," + cols + "] with offset " + off
          + ", row stride " + ld + ", batch stride " + stride + " x " + batch + " does not fit its array of "
          + length + (isC ? " (C needs ldc >= N and strideC > 0)" : ""));
    }
  }

  /** The arguments of one gemm call, shared by its tasks. */
  private static final class Problem {
    final boolean transA, transB, accumulate;
    final int M, N, K, aOff, strideA, bOff, strideB, cOff, ldc, strideC;
    final int lda, ldb;
    final double[] a, b, c;

    Problem(boolean transA, boolean transB, int M, int N, int K,
            double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
            double[] c, int cOff, int ldc, int strideC, boolean accumulate) {
      this.transA = transA;
      this.transB = transB;
      this.M = M;
      this.N = N;
      this.K = K;
      this.a = a;
      this.aOff = aOff;
      this.lda = lda;
      this.strideA = strideA;
      this.b = b;
      this.bOff = bOff;
      this.ldb = ldb;
      this.strideB = strideB;
      this.c = c;
      this.cOff = cOff;
      this.ldc = ldc;
      this.strideC = strideC;
      this.accumulate = accumulate;
    }

    /** Computes rows [m0,m1) × columns [n0,n1) of C for batch index i. */
    void run(int i, int m0, int m1, int n0, int n1) {
      int ai = aOff + i * strideA, bi = bOff + i * strideB, ci = cOff + i * strideC;
      if (useSimple(M, N, K)) {
        simple(transA, transB, K, a, ai, lda, b, bi, ldb, c, ci, ldc, m0, m1, n0, n1, accumulate);
      } else {
        blocked(ai, bi, ci, m0, m1, n0, n1, SCRATCH.get());
      }
    }

    /** GotoBLAS loop nest over one tile of C: jc (NC) → pc (kc) → ic (MC) → jr (NR) → ir (MR). */
    private void blocked(int ai, int bi, int ci, int m0, int m1, int n0, int n1, Scratch s) {
      int kBlocks = (K + KC - 1) / KC;
      int kcStep = (K + kBlocks - 1) / kBlocks; // even blocks (300 → 150+150), a function of K only
      int mcMax = Math.min(MC, roundUp(m1 - m0, MR)), ncMax = Math.min(NC, roundUp(n1 - n0, NR));
      if (s.ap.length < mcMax * kcStep) {
        s.ap = new double[mcMax * kcStep];
      }
      if (s.bp.length < ncMax * kcStep) {
        s.bp = new double[ncMax * kcStep];
      }
      double[] ap = s.ap, bp = s.bp, tile = s.tile;
      for (int jc = n0; jc < n1; jc += NC) {
        int nc = Math.min(NC, n1 - jc);
        for (int pc = 0; pc < K; pc += kcStep) {
          int kc = Math.min(kcStep, K - pc);
          boolean overwrite = pc == 0 && !accumulate;
          packB(bi, pc, kc, jc, nc, bp);
          for (int ic = m0; ic < m1; ic += MC) {
            int mc = Math.min(MC, m1 - ic);
            packA(ai, ic, mc, pc, kc, ap);
            for (int jr = 0; jr < nc; jr += NR) {
              int cols = Math.min(NR, nc - jr);
              for (int ir = 0; ir < mc; ir += MR) {
                if (MR == 12) {
                  kernel12(kc, ap, ir * kc, bp, jr * kc, tile);
                } else {
                  kernel6(kc, ap, ir * kc, bp, jr * kc, tile);
                }
                storeTile(tile, c, ci + (ic + ir) * ldc + jc + jr, ldc, Math.min(MR, mc - ir), cols, overwrite);
              }
            }
          }
        }
      }
    }

    /** Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels, panel r0 at r0·kc, element (k, r) at k·MR + r. */
    private void packA(int ai, int i0, int mc, int p0, int kc, double[] ap) {
      int full = mc / MR * MR;
      if (!transA) { // rows of A are contiguous in k: each row becomes a column of its panel
        for (int r = 0; r < mc; r++) {
          int src = ai + (i0 + r) * lda + p0;
          for (int k = 0, d = r / MR * MR * kc + r % MR; k < kc; k++, d += MR) {
            ap[d] = a[src + k];
          }
        }
      } else { // A is stored [K,M]: read each row of A once, sequentially, and deal it out to the panels
        for (int k = 0; k < kc; k++) {
          int src = ai + (p0 + k) * lda + i0, d = k * MR;
          for (int r0 = 0; r0 < full; r0 += MR, src += MR, d += MR * kc) {
            for (int r = 0; r < MR; r++) {
              ap[d + r] = a[src + r];
            }
          }
          for (int r = 0; r < mc - full; r++) {
            ap[d + r] = a[src + r];
          }
        }
      }
      if (full < mc) { // zero rows past M: the kernel always computes full tiles
        for (int k = 0, d = full * kc; k < kc; k++, d += MR) {
          Arrays.fill(ap, d + mc - full, d + MR, 0.0);
        }
      }
    }

    /** Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels, panel j at j·kc, element (k, j) at k·NR + j. */
    private void packB(int bi, int p0, int kc, int j0, int nc, double[] bp) {
      int full = nc / NR * NR;
      if (!transB) { // B rows are contiguous in j: read each row once and deal it out, two vectors per panel
        for (int k = 0; k < kc; k++) {
          int src = bi + (p0 + k) * ldb + j0, d = k * NR;
          for (int j = 0; j < full; j += NR, src += NR, d += NR * kc) {
            DoubleVector.fromArray(S, b, src).intoArray(bp, d);
            DoubleVector.fromArray(S, b, src + L).intoArray(bp, d + L);
          }
          for (int j = 0; j < nc - full; j++) {
            bp[d + j] = b[src + j];
          }
        }
      } else { // B is stored [N,K]: each row of B becomes a column of its panel
        for (int j = 0; j < nc; j++) {
          int src = bi + (j0 + j) * ldb + p0;
          for (int k = 0, d = j / NR * NR * kc + j % NR; k < kc; k++, d += NR) {
            bp[d] = b[src + k];
          }
        }
      }
      if (full < nc) { // zero columns past N
        for (int k = 0, d = full * kc; k < kc; k++, d += NR) {
          Arrays.fill(bp, d + nc - full, d + NR, 0.0);
        }
      }
    }
  }

  /**
   * Unpacked loops for small matrices, rows [m0,m1) × columns [n0,n1) of one C. Each element is one FMA
   * chain from C (or 0) over k in order, L columns per vector and four rows at a time. op(B) is read in
   * place when its rows are contiguous; a transposed B, and the last partial vector of columns, are first
   * copied row-contiguous and zero-padded into scratch, and that partial vector is computed in the tile buffer.
   */
  private static void simple(boolean transA, boolean transB, int K, double[] a, int ai, int lda,
                             double[] b, int bi, int ldb, double[] c, int ci, int ldc,
                             int m0, int m1, int n0, int n1, boolean accumulate) {
    int sAi = transA ? 1 : lda, sAk = transA ? lda : 1;
    int copyCols = transB ? roundUp(n1 - n0, L) : (n1 - n0) % L == 0 ? 0 : L; // width of the scratch copy
    if ((long) K * copyCols > COPY_LIMIT && K > 1) {
      // Bound the scratch by cutting K: each chain goes on from the double it left in C, so this is
      // bit-identical to a single pass.
      int kc = Math.max(1, COPY_LIMIT / copyCols);
      for (int k0 = 0; k0 < K; k0 += kc) {
        simple(transA, transB, Math.min(kc, K - k0), a, ai + k0 * sAk, lda, b, bi + k0 * (transB ? 1 : ldb), ldb,
            c, ci, ldc, m0, m1, n0, n1, accumulate || k0 > 0);
      }
      return;
    }
    int nv = n0 + (n1 - n0) / L * L, rem = n1 - nv; // [n0,nv) in full vectors, then rem < L columns
    double[] br = b; // row-contiguous source of the remainder columns: element (k, q) at br[brOff + k·ldbr + q]
    int brOff = bi + nv, ldbr = ldb;
    Scratch s = transB || rem > 0 ? SCRATCH.get() : null;
    if (transB) { // bt[k, j] = B[n0 + j, k], row stride wp = w rounded up to whole vectors
      int w = n1 - n0, wp = roundUp(w, L);
      double[] bt = s.bp.length >= K * wp ? s.bp : (s.bp = new double[K * wp]);
      for (int j = 0; j < w; j++) {
        for (int k = 0, src = bi + (n0 + j) * ldb, d = j; k < K; k++, d += wp) {
          bt[d] = b[src + k];
        }
      }
      for (int k = 0; k < K; k++) {
        Arrays.fill(bt, k * wp + w, (k + 1) * wp, 0.0);
      }
      b = br = bt;
      bi = -n0; // so that b[bi + k·ldb + j] is op(B)(k, j) for j in [n0, n1)
      ldb = ldbr = wp;
      brOff = nv - n0;
    } else if (rem > 0) {
      br = s.bp.length >= K * L ? s.bp : (s.bp = new double[K * L]);
      for (int k = 0, d = 0, src = bi + nv; k < K; k++, d += L, src += ldb) {
        for (int q = 0; q < rem; q++) {
          br[d + q] = b[src + q];
        }
        for (int q = rem; q < L; q++) {
          br[d + q] = 0.0;
        }
      }
      brOff = 0;
      ldbr = L;
    }
    for (int j = n0; j < nv; j += 2 * L) { // a K×2L column panel of B stays in L1 while the rows pass by
      boolean two = j + 2 * L <= nv;
      for (int i = m0; i < m1; i += 4) {
        int rows = Math.min(4, m1 - i), ak = ai + i * sAi, cj = ci + i * ldc + j;
        if (two && rows == 4) { // 8 independent FMA chains: enough to cover the FMA latency
          column4x2(K, a, ak, sAi, sAk, b, bi + j, ldb, c, cj, ldc, accumulate);
        } else {
          block(rows, K, a, ak, sAi, sAk, b, bi + j, ldb, c, cj, ldc, accumulate);
          if (two) {
            block(rows, K, a, ak, sAi, sAk, b, bi + j + L, ldb, c, cj + L, ldc, accumulate);
          }
        }
      }
    }
    if (rem > 0) {
      double[] t = s.tile;
      for (int i = m0; i < m1; i += 4) {
        int rows = Math.min(4, m1 - i), crow = ci + i * ldc + nv;
        for (int r = 0; accumulate && r < rows; r++) { // plain loops: arraycopy is slow for a few elements
          for (int q = 0; q < rem; q++) {
            t[r * L + q] = c[crow + r * ldc + q];
          }
        }
        block(rows, K, a, ai + i * sAi, sAi, sAk, br, brOff, ldbr, t, 0, L, accumulate);
        for (int r = 0; r < rows; r++) {
          for (int q = 0; q < rem; q++) {
            c[crow + r * ldc + q] = t[r * L + q];
          }
        }
      }
    }
  }

  /** One vector column of 1-4 rows of C: c[r, 0:L) = (acc ? c : 0) + Σ_k a[r·sAi + k·sAk] · b[k·ldb, 0:L). */
  private static void block(int rows, int K, double[] a, int ak, int sAi, int sAk, double[] b, int bk, int ldb,
                            double[] c, int ci, int ldc, boolean accumulate) {
    if (rows == 4) {
      column4(K, a, ak, sAi, sAk, b, bk, ldb, c, ci, ldc, accumulate);
    } else {
      for (int r = 0; r < rows; r++) {
        column(K, a, ak + r * sAi, sAk, b, bk, ldb, c, ci + r * ldc, accumulate);
      }
    }
  }

  /* column4x2, column4 and column are kept out of simple() so that their JIT profile is their own: a vector loop
     first seen cold inside a bigger method would be compiled without the intrinsics (boxed vectors, 100× slower). */

  private static void column4x2(int K, double[] a, int ak, int sAi, int sAk, double[] b, int bk, int ldb, double[] c,
                                int ci, int ldc, boolean accumulate) {
    DoubleVector c00, c01, c10, c11, c20, c21, c30, c31;
    if (accumulate) {
      c00 = DoubleVector.fromArray(S, c, ci);
      c01 = DoubleVector.fromArray(S, c, ci + L);
      c10 = DoubleVector.fromArray(S, c, ci + ldc);
      c11 = DoubleVector.fromArray(S, c, ci + ldc + L);
      c20 = DoubleVector.fromArray(S, c, ci + 2 * ldc);
      c21 = DoubleVector.fromArray(S, c, ci + 2 * ldc + L);
      c30 = DoubleVector.fromArray(S, c, ci + 3 * ldc);
      c31 = DoubleVector.fromArray(S, c, ci + 3 * ldc + L);
    } else {
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = DoubleVector.zero(S);
    }
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      DoubleVector y0 = DoubleVector.fromArray(S, b, bk), y1 = DoubleVector.fromArray(S, b, bk + L), x;
      x = DoubleVector.broadcast(S, a[ak]);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      x = DoubleVector.broadcast(S, a[ak + sAi]);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      x = DoubleVector.broadcast(S, a[ak + 2 * sAi]);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      x = DoubleVector.broadcast(S, a[ak + 3 * sAi]);
      c30 = x.fma(y0, c30);
      c31 = x.fma(y1, c31);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + L);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + L);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + L);
  }

  private static void column4(int K, double[] a, int ak, int sAi, int sAk, double[] b, int bk, int ldb, double[] c,
                              int ci, int ldc, boolean accumulate) {
    DoubleVector c0, c1, c2, c3;
    if (accumulate) {
      c0 = DoubleVector.fromArray(S, c, ci);
      c1 = DoubleVector.fromArray(S, c, ci + ldc);
      c2 = DoubleVector.fromArray(S, c, ci + 2 * ldc);
      c3 = DoubleVector.fromArray(S, c, ci + 3 * ldc);
    } else {
      c0 = c1 = c2 = c3 = DoubleVector.zero(S);
    }
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      DoubleVector y = DoubleVector.fromArray(S, b, bk);
      c0 = DoubleVector.broadcast(S, a[ak]).fma(y, c0);
      c1 = DoubleVector.broadcast(S, a[ak + sAi]).fma(y, c1);
      c2 = DoubleVector.broadcast(S, a[ak + 2 * sAi]).fma(y, c2);
      c3 = DoubleVector.broadcast(S, a[ak + 3 * sAi]).fma(y, c3);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
  }

  private static void column(int K, double[] a, int ak, int sAk, double[] b, int bk, int ldb, double[] c, int ci,
                             boolean accumulate) {
    DoubleVector acc = accumulate ? DoubleVector.fromArray(S, c, ci) : DoubleVector.zero(S);
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      acc = DoubleVector.broadcast(S, a[ak]).fma(DoubleVector.fromArray(S, b, bk), acc);
    }
    acc.intoArray(c, ci);
  }

  private static int roundUp(int x, int m) {
    return (x + m - 1) / m * m;
  }

  /** C[rows, cols] (row stride ldc) = (overwrite ? 0 : C) + tile[rows, cols] (row stride NR). */
  private static void storeTile(double[] t, double[] c, int ci, int ldc, int rows, int cols, boolean overwrite) {
    if (rows == MR && cols == NR) {
      for (int r = 0; r < MR; r++, ci += ldc) {
        DoubleVector t0 = DoubleVector.fromArray(S, t, r * NR), t1 = DoubleVector.fromArray(S, t, r * NR + L);
        if (!overwrite) {
          t0 = t0.add(DoubleVector.fromArray(S, c, ci));
          t1 = t1.add(DoubleVector.fromArray(S, c, ci + L));
        }
        t0.intoArray(c, ci);
        t1.intoArray(c, ci + L);
      }
      return;
    }
    for (int r = 0; r < rows; r++, ci += ldc) {
      for (int j = 0; j < cols; j++) {
        c[ci + j] = overwrite ? t[r * NR + j] : c[ci + j] + t[r * NR + j];
      }
    }
  }

  /*
   * Micro-kernels: t[MR, NR] = Ap[kc, MR]ᵀ-panel · Bp[kc, NR]-panel, accumulators held in registers.
   * Written out by hand on purpose: C2 keeps DoubleVector locals in registers only when every operation is
   * inlined and no vector escapes; the accumulators go to the tile buffer (not to C) to keep the compiled
   * method under C2's inlining node budget, past which the vectors get boxed and speed drops 15×.
   */

  static void kernel12(int kc, double[] ap, int ai, double[] bp, int bi, double[] t) {
    DoubleVector z = DoubleVector.zero(S);
    DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    DoubleVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    DoubleVector c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 12, bo = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, bo), b1 = DoubleVector.fromArray(S, bp, bo + L), x;
      x = DoubleVector.broadcast(S, ap[ao]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = DoubleVector.broadcast(S, ap[ao + 1]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = DoubleVector.broadcast(S, ap[ao + 2]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = DoubleVector.broadcast(S, ap[ao + 3]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = DoubleVector.broadcast(S, ap[ao + 4]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = DoubleVector.broadcast(S, ap[ao + 5]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
      x = DoubleVector.broadcast(S, ap[ao + 6]);
      c60 = b0.fma(x, c60);
      c61 = b1.fma(x, c61);
      x = DoubleVector.broadcast(S, ap[ao + 7]);
      c70 = b0.fma(x, c70);
      c71 = b1.fma(x, c71);
      x = DoubleVector.broadcast(S, ap[ao + 8]);
      c80 = b0.fma(x, c80);
      c81 = b1.fma(x, c81);
      x = DoubleVector.broadcast(S, ap[ao + 9]);
      c90 = b0.fma(x, c90);
      c91 = b1.fma(x, c91);
      x = DoubleVector.broadcast(S, ap[ao + 10]);
      ca0 = b0.fma(x, ca0);
      ca1 = b1.fma(x, ca1);
      x = DoubleVector.broadcast(S, ap[ao + 11]);
      cb0 = b0.fma(x, cb0);
      cb1 = b1.fma(x, cb1);
    }
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, NR);
    c11.intoArray(t, NR + L);
    c20.intoArray(t, 2 * NR);
    c21.intoArray(t, 2 * NR + L);
    c30.intoArray(t, 3 * NR);
    c31.intoArray(t, 3 * NR + L);
    c40.intoArray(t, 4 * NR);
    c41.intoArray(t, 4 * NR + L);
    c50.intoArray(t, 5 * NR);
    c51.intoArray(t, 5 * NR + L);
    c60.intoArray(t, 6 * NR);
    c61.intoArray(t, 6 * NR + L);
    c70.intoArray(t, 7 * NR);
    c71.intoArray(t, 7 * NR + L);
    c80.intoArray(t, 8 * NR);
    c81.intoArray(t, 8 * NR + L);
    c90.intoArray(t, 9 * NR);
    c91.intoArray(t, 9 * NR + L);
    ca0.intoArray(t, 10 * NR);
    ca1.intoArray(t, 10 * NR + L);
    cb0.intoArray(t, 11 * NR);
    cb1.intoArray(t, 11 * NR + L);
  }

  /** The 6-row variant for 16-register vector ISAs (AVX2): 12 accumulators + 3 operands. */
  static void kernel6(int kc, double[] ap, int ai, double[] bp, int bi, double[] t) {
    DoubleVector z = DoubleVector.zero(S);
    DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
    DoubleVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
    for (int p = 0; p < kc; p++) {
      int ao = ai + p * 6, bo = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, bo), b1 = DoubleVector.fromArray(S, bp, bo + L), x;
      x = DoubleVector.broadcast(S, ap[ao]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = DoubleVector.broadcast(S, ap[ao + 1]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = DoubleVector.broadcast(S, ap[ao + 2]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = DoubleVector.broadcast(S, ap[ao + 3]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = DoubleVector.broadcast(S, ap[ao + 4]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = DoubleVector.broadcast(S, ap[ao + 5]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
    }
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, NR);
    c11.intoArray(t, NR + L);
    c20.intoArray(t, 2 * NR);
    c21.intoArray(t, 2 * NR + L);
    c30.intoArray(t, 3 * NR);
    c31.intoArray(t, 3 * NR + L);
    c40.intoArray(t, 4 * NR);
    c41.intoArray(t, 4 * NR + L);
    c50.intoArray(t, 5 * NR);
    c51.intoArray(t, 5 * NR + L);
  }
}
