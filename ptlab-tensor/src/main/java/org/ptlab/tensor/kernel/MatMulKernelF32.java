package org.ptlab.tensor.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched float32 GEMM on flat row-major arrays: {@code C_i = (accumulate ? C_i : 0) + op(A_i)·op(B_i)}.
 *
 * <p>Small, narrow (N ≤ {@link #NR}) and flat (M ≤ {@link #MR}) matrices run unpacked vector loops. The
 * others follow GotoBLAS/BLIS: op(B) is packed in blocks of kc×{@link #NC} as NR-column panels (or was packed once
 * ahead of time, {@link PackedB}: a frozen weight), op(A) in blocks of {@link #MC}×kc as plain rows at stride
 * {@link #AS} (or is read in place when it is row-major with that stride), and a register-blocked micro-kernel
 * computes {@link #MR}×{@link #NR} tiles of C with Vector API FMAs, then adds an optional bias. Above
 * {@link #PARALLEL_WORK} the pool splits the batch, or each matrix into one tile of C per thread (sharing one packing
 * of A when N is split); never K.
 *
 * <p>Determinism: each element of C is computed by one task, by the same operations whatever the tiling or
 * thread count. Unpacked: one FMA chain from C (or 0) over k in order. Packed: K is cut into blocks that
 * depend on K alone; within a block an FMA chain from 0 in k order; the blocks are added to C in order.
 * Which of the two runs depends on the shape only. No reductions across lanes (whose order the JIT may change).
 *
 * <p>Thread-safety: calls may run concurrently from any threads; C must not overlap A, B or another C_i.
 * Scratch: each thread that runs a task keeps up to about (MC_PREPACKED + NC)·KC_SINGLE floats (2 MiB) of packing
 * buffers, and a thread that calls gemm up to 8 MiB for an op(A) its pieces share.
 */
public final class MatMulKernelF32 {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Micro-tile columns: two vectors. */
  static final int NR = 2 * L;
  /** Micro-tile rows: 12×2 accumulators + 2 B vectors + 1 broadcast fit 32 vector registers (AVX-512). */
  static final int MR = S.vectorBitSize() >= 512 ? 12 : 6;
  /** Depth of a packed block: a KC×NR B micro-panel (32 KiB) stays in L1 while A panels stream past. */
  static final int KC = 256;
  /**
   * Up to this depth K is one block: the B micro-panel (48 KiB at 384) then streams from L2 rather than staying in
   * L1, but C is stored once instead of twice. Measured on MiniLM's K = 384 products: 3 % faster; on 1024³, one
   * 384-deep block everywhere cost 4 %, so deeper K keeps KC.
   */
  static final int KC_SINGLE = 384;
  /**
   * Row stride of packed op(A): a packed block is MR-row panels of plain rows, row r of a panel at r·AS. The
   * micro-kernel reads its 12 rows at constant offsets (a runtime stride costs 20 % on JDK 25 and half on JDK 17),
   * and packing is a row copy, not a transpose. A row-major A whose row stride is AS is read in place.
   */
  static final int AS = KC_SINGLE;
  /** Rows of a packed A block (MC×KC, 120 KiB): stays in L2 (1 MiB per core on the target machine). */
  static final int MC = 120;
  /**
   * Rows of a packed A block when B was packed ahead of time: B's panels then come from memory rather than from a
   * packed block in L2, so each should be read once per K block, for as many rows as fit (MC_PREPACKED×KC, 264 KiB,
   * still in L2): 264 rows cover a batch of 8 × 33 tokens in one block.
   */
  static final int MC_PREPACKED = 264;
  /** Columns of a packed B block (KC×NC, 1 MiB): lives in L2/L3; its KC×NR micro-panels are reused from L1. */
  static final int NC = 1024;
  /**
   * Per-matrix M·N·K below which the unpacked loops beat packing. Square products first put it at 2^20 (96³
   * unpacked, 128³ packed); MiniLM's per-head attention products (52×52×32, 86.5K) run faster packed: minilm steps
   * 2.5–5 % faster at 2^16 over five alternated pairs of JVMs, small ~3 % (its 40×40×16 heads stay unpacked; at
   * 2^14 they were packed and small was 5 % slower). Both paths give the same bits (one FMA chain per element).
   */
  static final long SMALL_WORK = 1L << 16;
  /** Total batch·M·N·K below which the pool is not used (measured: 64³ gains from 2 threads). */
  static final long PARALLEL_WORK = 1L << 18;

  private MatMulKernelF32() {}

  /** Per-thread packing buffers, grown on demand and then reused: no allocation in the steady state. */
  private static final class Scratch {
    float[] ap = new float[0];
    float[] bp = new float[0];
    float[] aAll = new float[0]; // all of op(A), packed once by a call that splits N (see gemm)
    final float[] tail = new float[MR * AS]; // the last, partial row tile of an op(A) read in place
    final float[] tile = new float[MR * NR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  /** Largest op(A), in elements, packed once and shared by the pieces of a product (8 MiB of scratch). */
  private static final long SHARED_A_LIMIT = 1L << 21;
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
                          float[] a, int aOff, int lda, int strideA,
                          float[] b, int bOff, int ldb, int strideB,
                          float[] c, int cOff, int ldc, int strideC,
                          boolean accumulate, Parallel par) {
    gemm(batch, transA, transB, M, N, K, a, aOff, lda, strideA, b, bOff, ldb, strideB, c, cOff, ldc, strideC,
        accumulate, par, null, null, 0);
  }

  /**
   * As {@link #gemm(int, boolean, boolean, int, int, int, float[], int, int, int, float[], int, int, int, float[],
   * int, int, int, boolean, Parallel)}, with op(B) optionally packed ahead of time by {@link #packB} (from the same
   * b, bOff, ldb, transB, N and K; B shared by the batch), and optionally a bias: C_i[r, j] += bias[biasOff + j]
   * once the product is complete (a linear layer's bias, the same bits as adding it afterwards). The result is
   * bit-identical to packing on the fly: packing only copies. bias (may be null) is not modified.
   */
  public static void gemm(int batch, boolean transA, boolean transB, int M, int N, int K,
                          float[] a, int aOff, int lda, int strideA,
                          float[] b, int bOff, int ldb, int strideB,
                          float[] c, int cOff, int ldc, int strideC,
                          boolean accumulate, Parallel par, PackedB packedB, float[] bias, int biasOff) {
    if (bias != null && (biasOff < 0 || biasOff + N > bias.length)) {
      throw new IllegalArgumentException("gemm: bias of " + N + " from offset " + biasOff
          + " does not fit its array of " + bias.length);
    }
    if (packedB != null && (packedB.transB != transB || packedB.n != N || packedB.k != K || strideB != 0)) {
      throw new IllegalArgumentException("gemm: B was packed for " + packedB.n + "x" + packedB.k
          + (packedB.transB ? " transposed" : "") + ", called with " + N + "x" + K + (transB ? " transposed" : "")
          + (strideB != 0 ? " and a batch stride" : ""));
    }
    if (batch < 0 || M < 0 || N < 0 || K < 0) {
      throw new IllegalArgumentException("gemm: negative size batch=" + batch + " M=" + M + " N=" + N + " K=" + K);
    }
    if (batch == 0 || M == 0 || N == 0) {
      return;
    }
    checkOperand("C", c.length, cOff, ldc, strideC, batch, M, N, true);
    if (K == 0) { // empty sum
      for (int i = 0; i < batch; i++) {
        for (int r = 0; r < M; r++) {
          int row = cOff + i * strideC + r * ldc;
          if (!accumulate) Arrays.fill(c, row, row + N, 0f);
          if (bias != null) addBias(c, row, ldc, 1, N, bias, biasOff);
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
        if (bias != null) addBias(c, cOff + i * strideC, ldc, M, N, bias, biasOff);
      }
      return;
    }
    Problem p = new Problem(transA, transB, M, N, K, a, aOff, lda, strideA, b, bOff, ldb, strideB,
        c, cOff, ldc, strideC, accumulate, packedB, bias, biasOff);
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
    int kBlocks = (K + kcStep(K) - 1) / kcStep(K);
    if (batch == 1 && splitN && pieces > 1 && !useSimple(M, N, K) && !p.aInPlace()
        && (long) roundUp(M, MR) * AS * kBlocks <= SHARED_A_LIMIT) {
      // Every piece needs all of op(A): pack it once, in row ranges on the pool, into the caller's scratch, and let
      // the pieces read it (each packed its own copy before).
      int panels = (M + MR - 1) / MR, mPad = panels * MR;
      Scratch s = SCRATCH.get();
      if (s.aAll.length < mPad * AS * kBlocks) {
        s.aAll = new float[mPad * AS * kBlocks];
      }
      float[] aAll = s.aAll;
      par.forEach(pieces, q -> p.packAllA(q * panels / pieces * MR, Math.min(M, (q + 1) * panels / pieces * MR), aAll));
      p.sharedA = aAll;
      par.forEach(pieces, q -> p.run(0, 0, M, Math.min(N, q * units / pieces * NR),
          Math.min(N, (q + 1) * units / pieces * NR)));
      return;
    }
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
    final float[] a, b, c;
    final PackedB packed; // op(B) packed ahead of time, or null
    final float[] bias; // added to each row of C at the end, or null
    final int biasOff;
    float[] sharedA; // all of op(A) packed by packAllA (batch 1), or null: blocked() then packs its own blocks

    Problem(boolean transA, boolean transB, int M, int N, int K,
            float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
            float[] c, int cOff, int ldc, int strideC, boolean accumulate, PackedB packed, float[] bias, int biasOff) {
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
      this.packed = packed;
      this.bias = bias;
      this.biasOff = biasOff;
    }

    /** Whether blocked() reads op(A) where it is (row-major with row stride AS) instead of packing it. */
    boolean aInPlace() {
      return !transA && lda == AS;
    }

    /** Computes rows [m0,m1) × columns [n0,n1) of C for batch index i. */
    void run(int i, int m0, int m1, int n0, int n1) {
      int ai = aOff + i * strideA, bi = bOff + i * strideB, ci = cOff + i * strideC;
      if (useSimple(M, N, K)) {
        simple(transA, transB, K, a, ai, lda, b, bi, ldb, c, ci, ldc, m0, m1, n0, n1, accumulate);
        if (bias != null) addBias(c, ci + m0 * ldc + n0, ldc, m1 - m0, n1 - n0, bias, biasOff + n0);
      } else {
        blocked(ai, bi, ci, m0, m1, n0, n1, SCRATCH.get());
      }
    }

    /** GotoBLAS loop nest over one tile of C: jc (NC) → pc (kc) → ic (MC) → jr (NR) → ir (MR). */
    private void blocked(int ai, int bi, int ci, int m0, int m1, int n0, int n1, Scratch s) {
      int kcStep = kcStep(K);
      int mcBlock = packed != null ? MC_PREPACKED : MC;
      int mcMax = Math.min(mcBlock, roundUp(m1 - m0, MR)), ncMax = Math.min(NC, roundUp(n1 - n0, NR));
      if (s.ap.length < mcMax * AS) {
        s.ap = new float[mcMax * AS];
      }
      if (packed == null && s.bp.length < ncMax * kcStep) {
        s.bp = new float[ncMax * kcStep];
      }
      float[] tile = s.tile;
      int mPad = roundUp(M, MR);
      for (int jc = n0; jc < n1; jc += NC) {
        int nc = Math.min(NC, n1 - jc);
        for (int pc = 0, block = 0; pc < K; pc += kcStep, block++) {
          int kc = Math.min(kcStep, K - pc);
          boolean overwrite = pc == 0 && !accumulate;
          float[] bp; // the KC×NC block of op(B) from column jc: panel jr at bBase + jr·kc
          int bBase;
          if (packed != null) {
            bp = packed.data;
            bBase = packed.blockStart[block] + jc * kc; // jc is a whole number of panels
          } else {
            bp = s.bp;
            bBase = 0;
            packPanels(transB, b, bi, ldb, pc, kc, jc, nc, bp, 0);
          }
          for (int ic = m0; ic < m1; ic += mcBlock) {
            int mc = Math.min(mcBlock, m1 - ic);
            float[] ap; // the mc×kc block of op(A) from row ic: row r at aBase + r·AS
            int aBase;
            boolean inPlace = aInPlace();
            if (inPlace) {
              ap = a;
              aBase = ai + ic * AS + pc;
            } else if (sharedA != null) {
              ap = sharedA;
              aBase = (block * mPad + ic) * AS; // as packAllA lays it out
            } else {
              ap = s.ap;
              aBase = 0;
              packA(ai, ic, mc, pc, kc, ap, 0);
            }
            for (int jr = 0; jr < nc; jr += NR) {
              int cols = Math.min(NR, nc - jr);
              for (int ir = 0; ir < mc; ir += MR) {
                float[] at = ap;
                int ao = aBase + ir * AS;
                if (inPlace && ir + MR > mc) { // a partial tile: its missing rows are past A's end
                  at = s.tail;
                  ao = 0;
                  packA(ai, ic + ir, mc - ir, pc, kc, at, 0);
                }
                if (MR == 12) {
                  kernel12(kc, at, ao, bp, bBase + jr * kc, tile);
                } else {
                  kernel6(kc, at, ao, bp, bBase + jr * kc, tile);
                }
                int cAt = ci + (ic + ir) * ldc + jc + jr;
                storeTile(tile, c, cAt, ldc, Math.min(MR, mc - ir), cols, overwrite);
                if (bias != null && pc + kc == K) {
                  addBias(c, cAt, ldc, Math.min(MR, mc - ir), cols, bias, biasOff + jc + jr);
                }
              }
            }
          }
        }
      }
    }

    /**
     * Rows [r0, r1) of op(A) (r0 a multiple of MR), every K block, into aAll: K block i holds roundUp(M, MR) rows,
     * row r at (i·roundUp(M, MR) + r)·AS, as {@link #packA} lays out one block. For batch index 0.
     */
    void packAllA(int r0, int r1, float[] aAll) {
      int kcStep = kcStep(K), mPad = roundUp(M, MR);
      for (int pc = 0, block = 0; pc < K; pc += kcStep, block++) {
        packA(aOff, r0, r1 - r0, pc, Math.min(kcStep, K - pc), aAll, (block * mPad + r0) * AS);
      }
    }

    /**
     * Packs op(A)[i0:i0+mc, p0:p0+kc] as rows of stride AS from apOff (row r at apOff + r·AS), and zero rows up to a
     * whole number of MR-row panels (the kernel always computes full tiles).
     */
    private void packA(int ai, int i0, int mc, int p0, int kc, float[] ap, int apOff) {
      if (!transA) { // rows of A are contiguous in k: a row copy each
        for (int r = 0; r < mc; r++) {
          System.arraycopy(a, ai + (i0 + r) * lda + p0, ap, apOff + r * AS, kc);
        }
      } else { // A is stored [K,M]: transpose 16×16 blocks, whose 16 source rows stay in L1 while they are read
        for (int r0 = 0; r0 < mc; r0 += 16) {
          int r1 = Math.min(mc, r0 + 16);
          for (int k0 = 0; k0 < kc; k0 += 16) {
            int k1 = Math.min(kc, k0 + 16);
            for (int r = r0; r < r1; r++) {
              int src = ai + (p0 + k0) * lda + i0 + r, d = apOff + r * AS + k0;
              for (int k = k0; k < k1; k++, src += lda, d++) {
                ap[d] = a[src];
              }
            }
          }
        }
      }
      for (int r = mc; r < roundUp(mc, MR); r++) {
        Arrays.fill(ap, apOff + r * AS, apOff + r * AS + kc, 0f);
      }
    }
  }

  /**
   * Packs op(B)[p0:p0+kc, j0:j0+nc] (B from bi, row stride ldb) as NR-column panels into bp from bpOff: panel j at
   * bpOff + j·kc, element (k, j) at k·NR + j; columns past nc are zero.
   */
  private static void packPanels(boolean transB, float[] b, int bi, int ldb, int p0, int kc, int j0, int nc,
                                 float[] bp, int bpOff) {
    int full = nc / NR * NR;
    if (!transB) { // B rows are contiguous in j: read each row once and deal it out, two vectors per panel
      for (int k = 0; k < kc; k++) {
        int src = bi + (p0 + k) * ldb + j0, d = bpOff + k * NR;
        for (int j = 0; j < full; j += NR, src += NR, d += NR * kc) {
          FloatVector.fromArray(S, b, src).intoArray(bp, d);
          FloatVector.fromArray(S, b, src + L).intoArray(bp, d + L);
        }
        for (int j = 0; j < nc - full; j++) {
          bp[d + j] = b[src + j];
        }
      }
    } else { // B is stored [N,K]: each row of B becomes a column of its panel
      for (int j = 0; j < nc; j++) {
        int src = bi + (j0 + j) * ldb + p0;
        for (int k = 0, d = bpOff + j / NR * NR * kc + j % NR; k < kc; k++, d += NR) {
          bp[d] = b[src + k];
        }
      }
    }
    if (full < nc) { // zero columns past N
      for (int k = 0, d = bpOff + full * kc; k < kc; k++, d += NR) {
        Arrays.fill(bp, d + nc - full, d + NR, 0f);
      }
    }
  }

  /**
   * op(B) of a [.., M, K]·op(B) product packed once, for the packed path of every later {@link #gemm} call with the
   * same B (a frozen weight): all N columns of each K block as NR-column panels, in the K blocks the packed path
   * uses, so results are bit-identical to packing on the fly. Immutable; about N·K floats.
   */
  public static final class PackedB {
    final boolean transB;
    final int n;
    final int k;
    final float[] data;
    final int[] blockStart; // where K block i starts in data

    private PackedB(boolean transB, int n, int k, float[] data, int[] blockStart) {
      this.transB = transB;
      this.n = n;
      this.k = k;
      this.data = data;
      this.blockStart = blockStart;
    }
  }

  /**
   * Packs op(B) (stored [K,N], or [N,K] if transB, from bOff with row stride ldb) for {@link #gemm}'s packedB.
   * Not modified: b.
   */
  public static PackedB packB(boolean transB, int N, int K, float[] b, int bOff, int ldb) {
    if (N <= 0 || K <= 0) throw new IllegalArgumentException("packB: empty B " + N + "x" + K);
    checkOperand("B", b.length, bOff, ldb, 0, 1, transB ? N : K, transB ? K : N, false);
    int kcStep = kcStep(K);
    int kBlocks = (K + kcStep - 1) / kcStep;
    int width = roundUp(N, NR);
    int[] start = new int[kBlocks];
    float[] data = new float[width * K];
    for (int pc = 0, i = 0; pc < K; pc += kcStep, i++) {
      start[i] = width * pc;
      packPanels(transB, b, bOff, ldb, pc, Math.min(kcStep, K - pc), 0, N, data, start[i]);
    }
    return new PackedB(transB, N, K, data, start);
  }

  /**
   * Unpacked loops for small matrices, rows [m0,m1) × columns [n0,n1) of one C. Each element is one FMA
   * chain from C (or 0) over k in order, L columns per vector and four rows at a time. op(B) is read in
   * place when its rows are contiguous; a transposed B is first copied row-contiguous and zero-padded into scratch.
   * The last partial vector of columns (N mod L) is read and written through a lane mask, in place (before
   * 2026-12-08 it went through a copy of B's columns and the tile buffer: most of tiny's matmul time at N = 8).
   */
  private static void simple(boolean transA, boolean transB, int K, float[] a, int ai, int lda,
                             float[] b, int bi, int ldb, float[] c, int ci, int ldc,
                             int m0, int m1, int n0, int n1, boolean accumulate) {
    int sAi = transA ? 1 : lda, sAk = transA ? lda : 1;
    int copyCols = transB ? roundUp(n1 - n0, L) : 0; // width of the scratch copy (of a transposed B only)
    if ((long) K * copyCols > COPY_LIMIT && K > 1) {
      // Bound the scratch by cutting K: each chain goes on from the float it left in C, so this is
      // bit-identical to a single pass.
      int kc = Math.max(1, COPY_LIMIT / copyCols);
      for (int k0 = 0; k0 < K; k0 += kc) {
        simple(transA, transB, Math.min(kc, K - k0), a, ai + k0 * sAk, lda, b, bi + k0 * (transB ? 1 : ldb), ldb,
            c, ci, ldc, m0, m1, n0, n1, accumulate || k0 > 0);
      }
      return;
    }
    int nv = n0 + (n1 - n0) / L * L, rem = n1 - nv; // [n0,nv) in full vectors, then rem < L columns
    float[] br = b; // row-contiguous source of the remainder columns: element (k, q) at br[brOff + k·ldbr + q]
    int brOff = bi + nv, ldbr = ldb;
    Scratch s = transB ? SCRATCH.get() : null;
    if (transB) { // bt[k, j] = B[n0 + j, k], row stride wp = w rounded up to whole vectors
      int w = n1 - n0, wp = roundUp(w, L);
      float[] bt = s.bp.length >= K * wp ? s.bp : (s.bp = new float[K * wp]);
      for (int j = 0; j < w; j++) {
        for (int k = 0, src = bi + (n0 + j) * ldb, d = j; k < K; k++, d += wp) {
          bt[d] = b[src + k];
        }
      }
      for (int k = 0; k < K; k++) {
        Arrays.fill(bt, k * wp + w, (k + 1) * wp, 0f);
      }
      b = br = bt;
      bi = -n0; // so that b[bi + k·ldb + j] is op(B)(k, j) for j in [n0, n1)
      ldb = ldbr = wp;
      brOff = nv - n0;
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
    if (rem > 0) { // the last rem < L columns: masked loads and stores, the same FMA chains lane by lane
      VectorMask<Float> m = S.indexInRange(0, rem);
      for (int i = m0; i < m1; i += 4) {
        int rows = Math.min(4, m1 - i), ak = ai + i * sAi, crow = ci + i * ldc + nv;
        if (rows == 4) {
          column4Masked(K, a, ak, sAi, sAk, br, brOff, ldbr, c, crow, ldc, accumulate, m);
        } else {
          for (int r = 0; r < rows; r++) {
            columnMasked(K, a, ak + r * sAi, sAk, br, brOff, ldbr, c, crow + r * ldc, accumulate, m);
          }
        }
      }
    }
  }

  /** {@link #column4} on the lanes of {@code m} only: B and C are read and C written through the mask. */
  private static void column4Masked(int K, float[] a, int ak, int sAi, int sAk, float[] b, int bk, int ldb, float[] c,
                                    int ci, int ldc, boolean accumulate, VectorMask<Float> m) {
    FloatVector c0, c1, c2, c3;
    if (accumulate) {
      c0 = FloatVector.fromArray(S, c, ci, m);
      c1 = FloatVector.fromArray(S, c, ci + ldc, m);
      c2 = FloatVector.fromArray(S, c, ci + 2 * ldc, m);
      c3 = FloatVector.fromArray(S, c, ci + 3 * ldc, m);
    } else {
      c0 = c1 = c2 = c3 = FloatVector.zero(S);
    }
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      FloatVector y = FloatVector.fromArray(S, b, bk, m);
      c0 = FloatVector.broadcast(S, a[ak]).fma(y, c0);
      c1 = FloatVector.broadcast(S, a[ak + sAi]).fma(y, c1);
      c2 = FloatVector.broadcast(S, a[ak + 2 * sAi]).fma(y, c2);
      c3 = FloatVector.broadcast(S, a[ak + 3 * sAi]).fma(y, c3);
    }
    c0.intoArray(c, ci, m);
    c1.intoArray(c, ci + ldc, m);
    c2.intoArray(c, ci + 2 * ldc, m);
    c3.intoArray(c, ci + 3 * ldc, m);
  }

  /** {@link #column} on the lanes of {@code m} only. */
  private static void columnMasked(int K, float[] a, int ak, int sAk, float[] b, int bk, int ldb, float[] c, int ci,
                                   boolean accumulate, VectorMask<Float> m) {
    FloatVector acc = accumulate ? FloatVector.fromArray(S, c, ci, m) : FloatVector.zero(S);
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      acc = FloatVector.broadcast(S, a[ak]).fma(FloatVector.fromArray(S, b, bk, m), acc);
    }
    acc.intoArray(c, ci, m);
  }

  /** One vector column of 1-4 rows of C: c[r, 0:L) = (acc ? c : 0) + Σ_k a[r·sAi + k·sAk] · b[k·ldb, 0:L). */
  private static void block(int rows, int K, float[] a, int ak, int sAi, int sAk, float[] b, int bk, int ldb,
                            float[] c, int ci, int ldc, boolean accumulate) {
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

  private static void column4x2(int K, float[] a, int ak, int sAi, int sAk, float[] b, int bk, int ldb, float[] c,
                                int ci, int ldc, boolean accumulate) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
    if (accumulate) {
      c00 = FloatVector.fromArray(S, c, ci);
      c01 = FloatVector.fromArray(S, c, ci + L);
      c10 = FloatVector.fromArray(S, c, ci + ldc);
      c11 = FloatVector.fromArray(S, c, ci + ldc + L);
      c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
      c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
      c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
      c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
    } else {
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
    }
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      FloatVector y0 = FloatVector.fromArray(S, b, bk), y1 = FloatVector.fromArray(S, b, bk + L), x;
      x = FloatVector.broadcast(S, a[ak]);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      x = FloatVector.broadcast(S, a[ak + sAi]);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      x = FloatVector.broadcast(S, a[ak + 2 * sAi]);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      x = FloatVector.broadcast(S, a[ak + 3 * sAi]);
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

  private static void column4(int K, float[] a, int ak, int sAi, int sAk, float[] b, int bk, int ldb, float[] c,
                              int ci, int ldc, boolean accumulate) {
    FloatVector c0, c1, c2, c3;
    if (accumulate) {
      c0 = FloatVector.fromArray(S, c, ci);
      c1 = FloatVector.fromArray(S, c, ci + ldc);
      c2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
      c3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
    } else {
      c0 = c1 = c2 = c3 = FloatVector.zero(S);
    }
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      FloatVector y = FloatVector.fromArray(S, b, bk);
      c0 = FloatVector.broadcast(S, a[ak]).fma(y, c0);
      c1 = FloatVector.broadcast(S, a[ak + sAi]).fma(y, c1);
      c2 = FloatVector.broadcast(S, a[ak + 2 * sAi]).fma(y, c2);
      c3 = FloatVector.broadcast(S, a[ak + 3 * sAi]).fma(y, c3);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
  }

  private static void column(int K, float[] a, int ak, int sAk, float[] b, int bk, int ldb, float[] c, int ci,
                             boolean accumulate) {
    FloatVector acc = accumulate ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
    for (int k = 0; k < K; k++, ak += sAk, bk += ldb) {
      acc = FloatVector.broadcast(S, a[ak]).fma(FloatVector.fromArray(S, b, bk), acc);
    }
    acc.intoArray(c, ci);
  }

  /** Depth of each K block: K itself up to KC_SINGLE, else even blocks (600 → 200·3) of at most KC. K alone decides. */
  static int kcStep(int K) {
    if (K <= KC_SINGLE) return K;
    int kBlocks = (K + KC - 1) / KC;
    return (K + kBlocks - 1) / kBlocks;
  }

  private static int roundUp(int x, int m) {
    return (x + m - 1) / m * m;
  }

  /** C[rows, cols] (row stride ldc, from ci) += bias[bo .. bo + cols) on every row. */
  private static void addBias(float[] c, int ci, int ldc, int rows, int cols, float[] bias, int bo) {
    int full = cols / L * L;
    for (int r = 0; r < rows; r++, ci += ldc) {
      int j = 0;
      for (; j < full; j += L) {
        FloatVector.fromArray(S, c, ci + j).add(FloatVector.fromArray(S, bias, bo + j)).intoArray(c, ci + j);
      }
      for (; j < cols; j++) {
        c[ci + j] += bias[bo + j];
      }
    }
  }

  /** C[rows, cols] (row stride ldc) = (overwrite ? 0 : C) + tile[rows, cols] (row stride NR). */
  private static void storeTile(float[] t, float[] c, int ci, int ldc, int rows, int cols, boolean overwrite) {
    if (rows == MR && cols == NR) {
      for (int r = 0; r < MR; r++, ci += ldc) {
        FloatVector t0 = FloatVector.fromArray(S, t, r * NR), t1 = FloatVector.fromArray(S, t, r * NR + L);
        if (!overwrite) {
          t0 = t0.add(FloatVector.fromArray(S, c, ci));
          t1 = t1.add(FloatVector.fromArray(S, c, ci + L));
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
   * Micro-kernels: t[MR, NR] = A[MR rows at stride AS from ai, kc] · Bp[kc, NR]-panel, accumulators held in
   * registers.
   * Written out by hand on purpose: C2 keeps FloatVector locals in registers only when every operation is
   * inlined and no vector escapes; the accumulators go to the tile buffer (not to C) to keep the compiled
   * method under C2's inlining node budget, past which the vectors get boxed and speed drops 15×.
   */

  static void kernel12(int kc, float[] ap, int ai, float[] bp, int bi, float[] t) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    FloatVector c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
    for (int ao = ai, bo = bi, end = ai + kc; ao < end; ao++, bo += NR) { // the loop variable indexes A: see AS
      FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
      x = FloatVector.broadcast(S, ap[ao]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = FloatVector.broadcast(S, ap[ao + 1 * AS]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = FloatVector.broadcast(S, ap[ao + 2 * AS]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = FloatVector.broadcast(S, ap[ao + 3 * AS]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = FloatVector.broadcast(S, ap[ao + 4 * AS]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = FloatVector.broadcast(S, ap[ao + 5 * AS]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
      x = FloatVector.broadcast(S, ap[ao + 6 * AS]);
      c60 = b0.fma(x, c60);
      c61 = b1.fma(x, c61);
      x = FloatVector.broadcast(S, ap[ao + 7 * AS]);
      c70 = b0.fma(x, c70);
      c71 = b1.fma(x, c71);
      x = FloatVector.broadcast(S, ap[ao + 8 * AS]);
      c80 = b0.fma(x, c80);
      c81 = b1.fma(x, c81);
      x = FloatVector.broadcast(S, ap[ao + 9 * AS]);
      c90 = b0.fma(x, c90);
      c91 = b1.fma(x, c91);
      x = FloatVector.broadcast(S, ap[ao + 10 * AS]);
      ca0 = b0.fma(x, ca0);
      ca1 = b1.fma(x, ca1);
      x = FloatVector.broadcast(S, ap[ao + 11 * AS]);
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
  static void kernel6(int kc, float[] ap, int ai, float[] bp, int bi, float[] t) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
    FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
    for (int ao = ai, bo = bi, end = ai + kc; ao < end; ao++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
      x = FloatVector.broadcast(S, ap[ao]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = FloatVector.broadcast(S, ap[ao + 1 * AS]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = FloatVector.broadcast(S, ap[ao + 2 * AS]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = FloatVector.broadcast(S, ap[ao + 3 * AS]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = FloatVector.broadcast(S, ap[ao + 4 * AS]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = FloatVector.broadcast(S, ap[ao + 5 * AS]);
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
