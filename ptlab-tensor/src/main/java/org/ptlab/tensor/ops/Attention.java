package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ptlab.tensor.kernel.AttentionRowsF64;
import org.ptlab.tensor.kernel.ElementwiseF32;
import org.ptlab.tensor.kernel.ElementwiseF64;
import org.ptlab.tensor.kernel.MatMulKernelF32;
import org.ptlab.tensor.kernel.MatMulKernelF64;
import org.ptlab.tensor.kernel.Parallel;
import org.ptlab.tensor.kernel.SmallHeadProducts;

/**
 * Fused multi-head scaled-dot-product attention, forward and backward in one op:
 * O_h = softmax(scale·Q_h K_hᵀ + mask) V_h for each head h.
 *
 * <p>Shapes: q [B, Tq, H·s], k [B, Tk, H·s], v [B, Tk, H·sv] → [B, Tq, H·sv]. Heads are read in place as column
 * blocks (no split/merge copies). {@code attendMask} [B, Tk] has 1 where a key may be attended and 0 for padding
 * (Hugging Face's attention_mask), or is null. {@code causal}: query i sees key j iff j ≤ i + (Tk − Tq), so a
 * prefix of Tk − Tq keys (a prompt) is visible to every query. A query that sees no key outputs 0.
 *
 * <p>Backward (P saved): dV = Pᵀ dO, dP = dO Vᵀ, dS = P⊙(dP − rowsum(dP⊙P))·scale, dQ = dS K, dK = dSᵀ Q.
 *
 * <p>Long rows with short heads in float64 without a backward (the hu2025 exact baseline: s = 4, thousands of keys)
 * take {@link AttentionRowsF64} instead: no P, one row at a time, vector exponentials. Its bits differ from the
 * GEMM path's in the last places; which path runs depends on the shapes, dtype, mask and grad mode only.
 *
 * <p>Tiny float64 heads (Tq, Tk, s, sv ≤ {@link #SHORT_ROWS}: the theory models) take a direct path, forward and
 * backward, with {@link SmallHeadProducts} instead of matmul kernel calls: the GEMM path's bits, ~10 % less time.
 */
public final class Attention {
  /**
   * Whether attention without a backward to record takes the float64 row kernel: float64, no mask, not causal,
   * scale ≥ 0, at least {@value #LONG_ROWS} keys and head widths up to {@value #SHORT_HEAD}. Cost models that choose
   * between exact and approximate attention ask this rather than repeat it.
   */
  public static boolean takesRowKernel(DType dtype, int keys, int s, int sv, double scale, boolean masked,
      boolean causal) {
    return dtype == DType.F64 && !masked && !causal && scale >= 0 && keys >= LONG_ROWS && s <= SHORT_HEAD
        && sv <= SHORT_HEAD;
  }

  /** Below this many multiply-adds, heads run on the calling thread. */
  private static final long PARALLEL_WORK = 1L << 17;
  /** The row kernel runs from this many keys on (the theory models' short sequences keep the GEMM path's bits). */
  static final int LONG_ROWS = 256;
  /** … and for heads (query/key and value widths) up to this size; wider heads are GEMM work. */
  static final int SHORT_HEAD = 16;
  /**
   * Float64 queries, keys and head widths up to this size take the direct path (no kernel calls). Measured (thread
   * CPU time of forward + backward, AttentionDirectTiming): 8 × 8 heads −7 to −10 %, 16 × 16 +1 to +2 %; float32
   * 8 × 8 +3 to +11 % (its 16-float vectors are half empty at 8 columns, as in the kernel), so float32 and wider
   * heads stay on the GEMM path.
   */
  static final int SHORT_ROWS = 8;
  /** Query rows per task of the row kernel. */
  private static final int ROWS_PER_TASK = 32;

  private Attention() {}

  public static Tensor sdpa(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask,
      boolean causal) {
    return sdpa(q, k, v, heads, scale, attendMask, causal, true, Parallel.defaults());
  }

  /**
   * For tests: {@code direct} false forces the GEMM path on short heads too; {@code heads} run on {@code pool}
   * (forward and backward) instead of the shared pool.
   */
  static Tensor sdpa(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal,
      boolean direct, Parallel pool) {
    Geometry g = Geometry.of(q, k, v, heads, attendMask);
    g.pool = pool;
    boolean keep = Tensor.willRecord(q, k, v); // else P is per-head scratch, not a [B, H, Tq, Tk] tensor
    boolean small = direct && g.shortHeads(q.dtype());
    Tensor p = keep ? Tensor.zeros(q.dtype(), g.b, heads, g.tq, g.tk) : null; // probabilities, saved for backward
    Tensor out = Tensor.zeros(q.dtype(), g.b, g.tq, heads * g.sv);
    if (small) {
      directForward(g, q, k, v, scale, attendMask, causal, p, out);
    } else if (keep || !longRowsF64(g, q, k, v, scale, attendMask, causal, out)) {
      generalForward(g, q, k, v, scale, attendMask, causal, p, out);
    }
    Tensor[] inputs = {q, k, v};
    return Tensor.record(out, "attention", (dO, grads) -> {
      Tensor dq = Tensor.zeros(q.dtype(), q.shape());
      Tensor dk = Tensor.zeros(q.dtype(), k.shape());
      Tensor dv = Tensor.zeros(q.dtype(), v.shape());
      Tensor dOc = dO.offset() == 0 ? dO : dO.copy();
      if (small) {
        directBackward(g, q, k, v, scale, p, dOc, dq, dk, dv);
        grads.add(0, dq);
        grads.add(1, dk);
        grads.add(2, dv);
        return;
      }
      Tensor ds = Tensor.zeros(q.dtype(), p.shape());
      forEachHead(g, (b, h) -> {
        int pOff = ((b * heads + h) * g.tq) * g.tk;
        // dV_h = Pᵀ dO_h  [Tk, sv]
        // the gradients start at 0, q/k/v at their views' storage offsets (a batch slice): subtract the bases
        gemm(true, false, g.tk, g.sv, g.tq, p, pOff, g.tk, dOc, g.oOff(b, h), g.ldo, dv, g.vOff(b, h) - g.vBase, g.ldv);
        // dP = dO_h V_hᵀ  [Tq, Tk], then dS in place
        gemm(false, true, g.tq, g.tk, g.sv, dOc, g.oOff(b, h), g.ldo, v, g.vOff(b, h), g.ldv, ds, pOff, g.tk);
        for (int i = 0; i < g.tq; i++) softmaxBackwardRow(p, ds, pOff + i * g.tk, g.tk, scale);
        // dQ_h = dS K_h  [Tq, s];  dK_h = dSᵀ Q_h  [Tk, s]
        gemm(false, false, g.tq, g.s, g.tk, ds, pOff, g.tk, k, g.kOff(b, h), g.ldk, dq, g.qOff(b, h) - g.qBase, g.ldq);
        gemm(true, false, g.tk, g.s, g.tq, ds, pOff, g.tk, q, g.qOff(b, h), g.ldq, dk, g.kOff(b, h) - g.kBase, g.ldk);
      });
      grads.add(0, dq);
      grads.add(1, dk);
      grads.add(2, dv);
    }, inputs);
  }

  /**
   * Self-attention on the packed projections of one fused product: qkv [B, T, 3·H·s] holds Q, K and V as its
   * column blocks [0, H·s), [H·s, 2·H·s), [2·H·s, 3·H·s), read in place → [B, T, H·s]. The same values as
   * {@link #sdpa} on the three blocks as separate tensors. Inference only: a backward through the packed tensor is
   * not implemented, so qkv must not need one.
   */
  public static Tensor sdpaPacked(Tensor qkv, int heads, double scale, Tensor attendMask, boolean causal) {
    if (Tensor.willRecord(qkv)) {
      throw new IllegalStateException("attention: the packed q/k/v form has no backward; use sdpa on separate q, k, v");
    }
    if (heads <= 0 || qkv.rank() != 3 || qkv.dim(2) % (3 * heads) != 0) {
      throw new ShapeException("attention: packed qkv " + Shape.str(qkv.shape()) + " must be [B, T, 3·" + heads
          + "·s]");
    }
    int w = qkv.dim(2) / 3;
    Geometry g = new Geometry();
    g.b = qkv.dim(0);
    g.tq = qkv.dim(1);
    g.tk = g.tq;
    g.heads = heads;
    g.s = w / heads;
    g.sv = g.s;
    g.ldq = g.ldk = g.ldv = 3 * w;
    g.ldo = w;
    g.qBase = qkv.offset();
    g.kBase = qkv.offset() + w;
    g.vBase = qkv.offset() + 2 * w;
    Geometry.checkMask(g, attendMask);
    Tensor out = Tensor.zeros(qkv.dtype(), g.b, g.tq, w);
    if (g.shortHeads(qkv.dtype())) {
      directForward(g, qkv, qkv, qkv, scale, attendMask, causal, null, out);
    } else if (!longRowsF64(g, qkv, qkv, qkv, scale, attendMask, causal, out)) {
      generalForward(g, qkv, qkv, qkv, scale, attendMask, causal, null, out);
    }
    return out;
  }

  /** The GEMM path: S = Q_h K_hᵀ, masked softmax rows (into p when a backward will need P), O_h = P V_h. */
  private static void generalForward(Geometry g, Tensor q, Tensor k, Tensor v, double scale, Tensor attendMask,
      boolean causal, Tensor p, Tensor out) {
    boolean keep = p != null;
    int heads = g.heads;
    forEachHead(g, (b, h) -> {
      Tensor pt = keep ? p : Tensor.zeros(q.dtype(), g.tq, g.tk);
      int pOff = keep ? ((b * heads + h) * g.tq) * g.tk : 0;
      // S = Q_h K_hᵀ  [Tq, Tk]
      gemm(false, true, g.tq, g.tk, g.s, q, g.qOff(b, h), g.ldq, k, g.kOff(b, h), g.ldk, pt, pOff, g.tk);
      if (attendMask == null && !causal && scale >= 0 && q.dtype() == DType.F32) { // every key visible: a block
        ElementwiseF32.softmaxRows(pt.f32(), pOff, g.tq, g.tk, scale);
      } else {
        for (int i = 0; i < g.tq; i++) {
          int lastVisible = causal ? i + g.tk - g.tq : Integer.MAX_VALUE;
          maskedSoftmaxRow(pt, pOff + i * g.tk, g.tk, scale, attendMask, b, lastVisible);
        }
      }
      // O_h = P V_h  [Tq, sv]
      gemm(false, false, g.tq, g.sv, g.tk, pt, pOff, g.tk, v, g.vOff(b, h), g.ldv, out, g.oOff(b, h), g.ldo);
    });
  }

  /**
   * The direct path for short heads ({@link Geometry#shortHeads}): per (batch, head), S = Q_h K_hᵀ, the masked
   * softmax rows and O_h = P V_h by {@link SmallHeadProducts} over per-thread scratch, no kernel dispatch and
   * no per-head tensor. Every product is one FMA chain per element over k in order and the softmax rows are the same
   * calls, so the values are the GEMM path's bits (its matmuls all take the kernel's unpacked loops at these sizes).
   */
  private static void directForward(Geometry g, Tensor q, Tensor k, Tensor v, double scale, Tensor attendMask,
      boolean causal, Tensor p, Tensor out) {
    forEachHead(g, (b, h) -> {
      Scratch sc = SCRATCH.get();
      int pOff = p != null ? ((b * g.heads + h) * g.tq) * g.tk : 0;
      double[] pa = p != null ? p.f64() : sc.f64(0, g.tq * g.tk);
      double[] kt = sc.f64(1, g.s * g.tk);
      SmallHeadProducts.transpose(k.f64(), g.kOff(b, h), g.ldk, g.tk, g.s, kt);
      SmallHeadProducts.times(g.tq, g.tk, g.s, q.f64(), g.qOff(b, h), g.ldq, 1, kt, 0, g.tk, pa, pOff, g.tk);
      for (int i = 0; i < g.tq; i++) {
        int lastVisible = causal ? i + g.tk - g.tq : Integer.MAX_VALUE;
        maskedSoftmaxRow(pa, pOff + i * g.tk, g.tk, scale, attendMask, b, lastVisible);
      }
      SmallHeadProducts.times(g.tq, g.sv, g.tk, pa, pOff, g.tk, 1, v.f64(), g.vOff(b, h), g.ldv, out.f64(),
          g.oOff(b, h), g.ldo);
    });
  }

  /**
   * The direct path's backward, per (batch, head): dV = Pᵀ dO, dP = dO Vᵀ, dS = P⊙(dP − rowsum(dP⊙P))·scale,
   * dQ = dS K, dK = dSᵀ Q, in the GEMM path's order (so its bits); dS lives in per-thread scratch. Gradient offsets
   * are relative to the gradient tensors (which start at 0), not to q, k, v's storage offsets.
   */
  private static void directBackward(Geometry g, Tensor q, Tensor k, Tensor v, double scale, Tensor p, Tensor dO,
      Tensor dq, Tensor dk, Tensor dv) {
    int dOBase = dO.offset();
    forEachHead(g, (b, h) -> {
      Scratch sc = SCRATCH.get();
      int pOff = ((b * g.heads + h) * g.tq) * g.tk;
      int qOff = g.qOff(b, h);
      int kOff = g.kOff(b, h);
      int vOff = g.vOff(b, h);
      int oOff = dOBase + g.oOff(b, h);
      double[] pa = p.f64();
      double[] ds = sc.f64(0, g.tq * g.tk);
      double[] vt = sc.f64(1, g.sv * g.tk);
      SmallHeadProducts.times(g.tk, g.sv, g.tq, pa, pOff, 1, g.tk, dO.f64(), oOff, g.ldo, dv.f64(), vOff - g.vBase,
          g.ldv);
      SmallHeadProducts.transpose(v.f64(), vOff, g.ldv, g.tk, g.sv, vt);
      SmallHeadProducts.times(g.tq, g.tk, g.sv, dO.f64(), oOff, g.ldo, 1, vt, 0, g.tk, ds, 0, g.tk);
      for (int i = 0; i < g.tq; i++) softmaxBackwardRow(pa, pOff + i * g.tk, ds, i * g.tk, g.tk, scale);
      SmallHeadProducts.times(g.tq, g.s, g.tk, ds, 0, g.tk, 1, k.f64(), kOff, g.ldk, dq.f64(), qOff - g.qBase, g.ldq);
      SmallHeadProducts.times(g.tk, g.s, g.tq, ds, 0, 1, g.tk, q.f64(), qOff, g.ldq, dk.f64(), kOff - g.kBase, g.ldk);
    });
  }

  /** Per-thread scratch of the direct path: P or dS, and a transposed K or V head. */
  private static final class Scratch {
    private final double[][] d = {new double[0], new double[0]};

    double[] f64(int slot, int n) {
      if (d[slot].length < n) d[slot] = new double[n];
      return d[slot];
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * The row kernel for float64, no mask, no backward, long rows and short heads; false (out then to be overwritten)
   * when it does not apply or a row's scores are not finite.
   */
  private static boolean longRowsF64(Geometry g, Tensor q, Tensor k, Tensor v, double scale, Tensor attendMask,
      boolean causal, Tensor out) {
    if (!takesRowKernel(q.dtype(), g.tk, g.s, g.sv, scale, attendMask != null, causal)) return false;
    int n = g.tk;
    int bh = g.b * g.heads;
    double[][] kts = transposedHeads(k, g, true);
    double[][] vts = transposedHeads(v, g, false);
    Parallel par = Parallel.defaults();
    int chunks = (g.tq + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    AtomicBoolean finite = new AtomicBoolean(true);
    par.forEach(bh * chunks, t -> {
      int i = t / chunks;
      int b = i / g.heads;
      int h = i % g.heads;
      int r0 = (t % chunks) * ROWS_PER_TASK;
      int rows = Math.min(ROWS_PER_TASK, g.tq - r0);
      double[] buf = ROW_BUFFER.get();
      if (buf.length < n) {
        buf = new double[n];
        ROW_BUFFER.set(buf);
      }
      if (!AttentionRowsF64.rows(q.f64(), g.qOff(b, h) + r0 * g.ldq, g.ldq, rows, g.s, kts[i], n, vts[i], g.sv, scale,
          out.f64(), g.oOff(b, h) + r0 * g.ldo, g.ldo, buf)) {
        finite.set(false);
      }
    });
    return finite.get();
  }

  /** Keys of the row kernel's transposed keys and values among a tensor's {@link Tensor#derived} values. */
  private static final Object KEYS_T = new Object();
  private static final Object VALUES_T = new Object();

  /** Every head's keys (or values) transposed, [width, n] per head, and the layout they were read with. */
  private record TransposedHeads(int b, int heads, int n, int width, int base, int ld, double[][] data) {
    boolean fits(int b, int heads, int n, int width, int base, int ld) {
      return this.b == b && this.heads == heads && this.n == n && this.width == width && this.base == base
          && this.ld == ld;
    }
  }

  /**
   * Kᵀ (keys) or Vᵀ (values) of every head for the row kernel, kept on the tensor as a derived value while its
   * contents do not change: exact attention over blocks of query rows (hu2025's {@code ExactAttention.blocked}) passes
   * the same keys and values to every block, and transposing them per block cost 49 % more time at 16 rows per block
   * (n = 16384). A copy of n·(s + sv) doubles per head, O(n) beside the O(n²) work.
   */
  private static double[][] transposedHeads(Tensor t, Geometry g, boolean keys) {
    Object key = keys ? KEYS_T : VALUES_T;
    int width = keys ? g.s : g.sv;
    int base = keys ? g.kBase : g.vBase;
    int ld = keys ? g.ldk : g.ldv;
    int n = g.tk;
    int version = t.version();
    if (t.derived(key) instanceof TransposedHeads c && c.fits(g.b, g.heads, n, width, base, ld)) return c.data;
    double[][] data = new double[g.b * g.heads][];
    Parallel.defaults().forEach(data.length, i -> {
      int b = i / g.heads;
      int h = i % g.heads;
      data[i] = new double[width * n];
      int off = keys ? g.kOff(b, h) : g.vOff(b, h);
      AttentionRowsF64.transpose(t.f64(), off, ld, n, width, data[i]);
    });
    t.setDerived(key, new TransposedHeads(g.b, g.heads, n, width, base, ld, data), version);
    return data;
  }

  /** Per-thread scores of one query row (the row kernel's only scratch). */
  private static final ThreadLocal<double[]> ROW_BUFFER = ThreadLocal.withInitial(() -> new double[0]);

  /** Dimensions and offsets of the head views. */
  private static final class Geometry {
    int b;
    int tq;
    int tk;
    int heads;
    int s;
    int sv;
    /** Row strides of q, k, v and the output (q, k, v are column blocks of one tensor when packed). */
    int ldq;
    int ldk;
    int ldv;
    int ldo;
    int qBase;
    int kBase;
    int vBase;
    /** The pool heads are spread over. */
    Parallel pool = Parallel.defaults();

    static Geometry of(Tensor q, Tensor k, Tensor v, int heads, Tensor mask) {
      if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
        throw new ShapeException("attention: q, k, v must be [B, T, H·s], got " + Shape.str(q.shape()) + ", "
            + Shape.str(k.shape()) + ", " + Shape.str(v.shape()));
      }
      Binary.checkSame("attention", q, k);
      Binary.checkSame("attention", q, v);
      Geometry g = new Geometry();
      g.b = q.dim(0);
      g.tq = q.dim(1);
      g.tk = k.dim(1);
      g.heads = heads;
      if (heads <= 0 || q.dim(2) % heads != 0 || v.dim(2) % heads != 0) {
        throw new ShapeException("attention: " + heads + " heads do not divide q " + Shape.str(q.shape())
            + " and v " + Shape.str(v.shape()));
      }
      if (k.dim(0) != g.b || v.dim(0) != g.b || v.dim(1) != g.tk || k.dim(2) != q.dim(2)) {
        throw new ShapeException("attention: incompatible q " + Shape.str(q.shape()) + ", k " + Shape.str(k.shape())
            + ", v " + Shape.str(v.shape()));
      }
      checkMask(g, mask);
      g.s = q.dim(2) / heads;
      g.sv = v.dim(2) / heads;
      g.ldq = q.dim(2);
      g.ldk = k.dim(2);
      g.ldv = v.dim(2);
      g.ldo = v.dim(2);
      g.qBase = q.offset();
      g.kBase = k.offset();
      g.vBase = v.offset();
      return g;
    }

    static void checkMask(Geometry g, Tensor mask) {
      if (mask != null && (mask.rank() != 2 || mask.dim(0) != g.b || mask.dim(1) != g.tk)) {
        throw new ShapeException("attention: attendMask " + Shape.str(mask.shape()) + " must be [B, Tk] = ["
            + g.b + ", " + g.tk + "]");
      }
    }

    /**
     * Float64 heads short enough for the direct path. Every product of the GEMM path is then far below the matmul
     * kernel's packing threshold (its unpacked loops), so both paths give the same bits.
     */
    boolean shortHeads(DType dtype) {
      return dtype == DType.F64 && tq <= SHORT_ROWS && tk <= SHORT_ROWS && s <= SHORT_ROWS && sv <= SHORT_ROWS;
    }

    int qOff(int b, int h) {
      return qBase + b * tq * ldq + h * s;
    }

    int kOff(int b, int h) {
      return kBase + b * tk * ldk + h * s;
    }

    int vOff(int b, int h) {
      return vBase + b * tk * ldv + h * sv;
    }

    int oOff(int b, int h) {
      return b * tq * ldo + h * sv;
    }
  }

  private interface HeadBody {
    void run(int b, int h);
  }

  private static void forEachHead(Geometry g, HeadBody body) {
    int n = g.b * g.heads;
    long work = (long) n * g.tq * g.tk * (g.s + g.sv);
    if (work < PARALLEL_WORK || n == 1) {
      for (int i = 0; i < n; i++) body.run(i / g.heads, i % g.heads);
    } else {
      g.pool.forEach(n, i -> body.run(i / g.heads, i % g.heads));
    }
  }

  /** Offsets are absolute positions in each tensor's storage. */
  private static void gemm(boolean ta, boolean tb, int m, int n, int kk, Tensor a, int aOff, int lda, Tensor b,
      int bOff, int ldb, Tensor c, int cOff, int ldc) {
    Parallel par = Parallel.defaults();
    if (a.dtype() == DType.F64) {
      MatMulKernelF64.gemm(1, ta, tb, m, n, kk, a.f64(), aOff, lda, 0, b.f64(), bOff, ldb, 0, c.f64(), cOff, ldc, 0,
          false, par);
    } else {
      MatMulKernelF32.gemm(1, ta, tb, m, n, kk, a.f32(), aOff, lda, 0, b.f32(), bOff, ldb, 0, c.f32(), cOff, ldc, 0,
          false, par);
    }
  }

  /** In place: row ← softmax(scale·row) over visible keys j ≤ lastVisible with mask[b, j] ≠ 0; others 0. */
  private static void maskedSoftmaxRow(Tensor p, int off, int n, double scale, Tensor mask, int b, int lastVisible) {
    if (p.dtype() == DType.F64) {
      maskedSoftmaxRow(p.f64(), off, n, scale, mask, b, lastVisible);
    } else {
      maskedSoftmaxRow(p.f32(), off, n, scale, mask, b, lastVisible);
    }
  }

  private static void maskedSoftmaxRow(double[] a, int off, int n, double scale, Tensor mask, int b,
      int lastVisible) {
    boolean all = mask == null && lastVisible >= n - 1;
    double max = Double.NEGATIVE_INFINITY;
    if (all && scale >= 0) { // max(scale·row) = scale·max(row): one vectorized pass
      max = scale * ElementwiseF64.max(a, off, n);
    } else {
      for (int j = 0; j < n; j++) {
        if (all || visible(mask, b, j, n, lastVisible)) max = Math.max(max, scale * a[off + j]);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      for (int j = 0; j < n; j++) a[off + j] = 0;
      return;
    }
    double sum = ElementwiseF64.expShifted(a, off, n, scale, max);
    if (!all) {
      for (int j = 0; j < n; j++) if (!visible(mask, b, j, n, lastVisible)) a[off + j] = 0;
      sum = ElementwiseF64.sum(a, off, n);
    }
    ElementwiseF64.scale(a, off, n, 1 / sum);
  }

  private static void maskedSoftmaxRow(float[] a, int off, int n, double scale, Tensor mask, int b,
      int lastVisible) {
    boolean all = mask == null && lastVisible >= n - 1;
    double max = Double.NEGATIVE_INFINITY;
    if (all && scale >= 0) { // max(scale·row) = scale·max(row): one vectorized pass
      max = scale * ElementwiseF32.max(a, off, n);
    } else {
      for (int j = 0; j < n; j++) {
        if (all || visible(mask, b, j, n, lastVisible)) max = Math.max(max, scale * (double) a[off + j]);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      for (int j = 0; j < n; j++) a[off + j] = 0;
      return;
    }
    float sum = ElementwiseF32.expShifted(a, off, n, (float) scale, (float) max);
    if (!all) {
      for (int j = 0; j < n; j++) if (!visible(mask, b, j, n, lastVisible)) a[off + j] = 0;
      sum = ElementwiseF32.sum(a, off, n);
    }
    ElementwiseF32.scale(a, off, n, 1 / sum);
  }

  private static boolean visible(Tensor mask, int b, int j, int n, int lastVisible) {
    return j <= lastVisible && (mask == null || mask.getFlat(b * n + j) != 0);
  }

  /** In place: ds ← P⊙(dP − Σ dP⊙P)·scale on one row (ds holds dP on entry). */
  private static void softmaxBackwardRow(Tensor p, Tensor ds, int off, int n, double scale) {
    if (p.dtype() == DType.F64) {
      softmaxBackwardRow(p.f64(), off, ds.f64(), off, n, scale);
    } else {
      softmaxBackwardRow(p.f32(), off, ds.f32(), off, n, scale);
    }
  }

  private static void softmaxBackwardRow(double[] pa, int po, double[] da, int dOff, int n, double scale) {
    double dot = 0;
    for (int j = 0; j < n; j++) dot += pa[po + j] * da[dOff + j];
    for (int j = 0; j < n; j++) da[dOff + j] = pa[po + j] * (da[dOff + j] - dot) * scale;
  }

  private static void softmaxBackwardRow(float[] pa, int po, float[] da, int dOff, int n, double scale) {
    double dot = 0;
    for (int j = 0; j < n; j++) dot += pa[po + j] * da[dOff + j];
    float fd = (float) dot;
    float fs = (float) scale;
    for (int j = 0; j < n; j++) da[dOff + j] = pa[po + j] * (da[dOff + j] - fd) * fs;
  }
}
