package org.ptlab.theory.hu2025;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.ptlab.tensor.kernel.Parallel;

/**
 * The two products of the polynomial method, never forming an n×r feature matrix, let alone an n×n one:
 * <ul>
 *   <li>{@link #accumulate}: M = U_2ᵀY, i.e. M[α][c] = w_α·Σ_j x_j^α·Y[j][c] (r×c, one pass over the rows);
 *   <li>{@link #evaluate}: T = U_1M, i.e. T[i][c] = Σ_α x_i^α·M[α][c] (one pass over the rows).
 * </ul>
 * The weights c_α are folded into M once (O(r·c)), so both sides only need raw monomials x^α.
 *
 * <p>Vectorization: rows go across the vector lanes (a tile of 8 rows per AVX-512 vector); the inner loops are
 * {@link FeatureKernels} and {@link EvaluateKernels}, register-blocked over column groups of 4 or 5
 * ({@link #paddedColumns}).
 * <ul>
 *   <li>accumulate takes the rows in blocks of {@link #ACC_TILES} tiles and walks the monomial tree depth first
 *       (x^α = x^{parent}·x_m: each node's children are built from it, one vector multiply per tile, inside the
 *       first column group's FMA loop; only one node's children per degree are held, a few KB). Each pair of
 *       sibling features keeps its 2 × 4 or 2 × 5 lane sums of M in registers over the whole block, so the r·c
 *       lane sums are loaded and stored once per block instead of once per tile. Only children (half the features
 *       at s = 4) wait in a buffer for the next only child and go as a pair too.
 *   <li>evaluate takes 2 tiles at a time and builds their monomials inside the first column group's FMA loop,
 *       with 2 tiles × 4 or 5 columns of T in registers while it walks the features: 8 or 10 FMA chains.
 * </ul>
 * Before this (up to commit c357604) the lane sums were stored once per tile and the last column ran as a single
 * FMA chain: about 2× slower at r = 330–495 (notes/bench.md, "Issue 18: the polynomial path"). Cost O(n·r·c)
 * multiply-adds, O(r·c·L) scratch per task.
 *
 * <p>Determinism and summation order: rows are cut into tasks of {@link #CHUNK} (a constant, not the thread
 * count). In {@link #accumulate} each lane of each M[α][c] adds its rows' products in row order by FMA, the lanes
 * are summed in lane order and the tasks' partial M in task order (the order features are visited in does not
 * enter: each has its own sums); in {@link #evaluate} each T[i][c] adds its features' products by FMA in the
 * graded order α = 0 … r−1. That is the order of the earlier, unblocked loops, so the results are bit-identical
 * to theirs. Per-row outputs of {@link #evaluate} depend on that row alone, so a subset of queries gives
 * bit-identical rows (check A6).
 *
 * <p>Layout: x is [n, s] row-major (tokens as rows), Y is [n, c] row-major, M is [r, c] row-major.
 */
final class FeatureSums {
  private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
  /** Rows per tile (vector lanes); the lane sums of accumulate are L per entry of M. */
  static final int L = SP.length();
  /** Rows per parallel task: fixed, so results never depend on the number of threads. */
  static final int CHUNK = 2048;
  /** Tiles (of L rows) per block of accumulate: the lane sums are loaded and stored once per block. */
  static final int ACC_TILES = 16;
  /** Tiles per step of evaluate: 2 tiles × 4–5 columns are 8–10 FMA chains. */
  static final int EVAL_TILES = 2;

  private FeatureSums() {}

  /**
   * M [r, cy] = diag(w)·Σ_j mono(xScale·x_j) ⊗ y_j over the rows j with keep[j] (keep null: all rows).
   *
   * @param x [n, s], not modified
   * @param y [n, cy], not modified
   */
  static double[] accumulate(Monomials mono, double[] w, double[] x, int n, double xScale, double[] y, int cy,
      boolean[] keep) {
    return accumulate(mono, w, x, n, xScale, y, cy, false, keep);
  }

  /**
   * As {@link #accumulate(Monomials, double[], double[], int, double, double[], int, boolean[])} for Y = [y | 1]
   * when {@code ones} (y [n, dy], M [r, dy+1]): the attention forward's [V | 1] without copying V.
   */
  static double[] accumulate(Monomials mono, double[] w, double[] x, int n, double xScale, double[] y, int dy,
      boolean ones, boolean[] keep) {
    int r = mono.rank();
    int cy = dy + (ones ? 1 : 0);
    int tasks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    double[][] parts = new double[tasks][];
    Parallel.defaults().forEach(tasks, t -> parts[t] = accumulateChunk(mono, x, t * CHUNK,
        Math.min(n, (t + 1) * CHUNK), xScale, y, dy, ones, keep));
    double[] m = new double[r * cy];
    for (double[] p : parts) for (int i = 0; i < m.length; i++) m[i] += p[i];
    for (int a = 0; a < r; a++) for (int c = 0; c < cy; c++) m[a * cy + c] *= w[a];
    return m;
  }

  /**
   * T [n, cy]: T[i][c] = Σ_α mono_α(xScale·x_i)·M[α][c].
   *
   * @param x [n, s], not modified
   * @param m [r, cy] from {@link #accumulate}, not modified
   */
  static double[] evaluate(Monomials mono, double[] x, int n, double xScale, double[] m, int cy) {
    int r = mono.rank();
    int cyp = paddedColumns(cy);
    double[] mp = new double[r * cyp]; // M with zero columns up to cyp
    for (int a = 0; a < r; a++) System.arraycopy(m, a * cy, mp, a * cyp, cy);
    double[] out = new double[n * cy];
    int tasks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    Parallel.defaults().forEach(tasks, t -> evaluateChunk(mono, x, t * CHUNK, Math.min(n, (t + 1) * CHUNK), xScale,
        mp, out, cy, cyp));
    return out;
  }

  /**
   * cy rounded up so that the columns split into groups of 4 with at most one group of 5: cy itself when
   * cy mod 4 is 0, or 1 with cy ≥ 5 (the attention forward's dv + 1 = 5); else the next multiple of 4. The padded
   * columns are zeros and are never read back: they only keep every FMA chain in a 4- or 5-wide group.
   */
  static int paddedColumns(int cy) {
    int rem = cy % 4;
    return rem == 0 || (rem == 1 && cy >= 5) ? cy : cy + 4 - rem;
  }

  /** The width of the column group starting at c0 of cyp padded columns: 5 for the last one when 5 remain. */
  private static int groupWidth(int c0, int cyp) {
    return cyp - c0 == 5 ? 5 : 4;
  }

  /** One task's accumulate: the scratch of a block and the depth-first walk over its monomial tree. */
  private static final class AccumulateBlock {
    final Monomials mono;
    final int cyp;
    final int bw; // block width in rows
    final double[] acc; // [α][padded column][lane]
    final double[] xt; // [var][row of the block]
    final double[] yt; // [padded column][row of the block]; padded columns stay 0
    final double[] levels; // [degree][child of the node being expanded][row of the block]
    /** A feature left without a sibling to pair with (its monomials kept here) until the next such one, or -1. */
    final double[] pendingMon;
    int pending = -1;
    int rows;

    AccumulateBlock(Monomials mono, int cyp) {
      this.mono = mono;
      this.cyp = cyp;
      int s = mono.vars();
      bw = ACC_TILES * L;
      acc = new double[mono.rank() * cyp * L];
      xt = new double[s * bw];
      yt = new double[cyp * bw];
      levels = new double[(mono.maxDegree() + 1) * s * bw];
      pendingMon = new double[bw];
    }

    /** Adds the block's rows (xt, yt filled, {@code rows} of them) to acc. */
    void run() {
      java.util.Arrays.fill(levels, 0, bw, 0);
      DoubleVector one = DoubleVector.broadcast(SP, 1.0);
      for (int t = 0; t < rows; t += L) one.intoArray(levels, t);
      single(0, 0); // α = 0 (x^0 = 1)
      expand(0, 0, 0);
      if (pending >= 0) {
        for (int c0 = 0; c0 < cyp; c0 += groupWidth(c0, cyp)) sumOne(pending, pendingMon, 0, c0);
        pending = -1;
      }
    }

    /**
     * A feature whose monomials (levels slot ls) have no sibling to pair with: it waits in {@link #pendingMon}
     * for the next such feature, and the two are summed as a pair (2 × 4–5 FMA chains instead of 4–5; with s = 4
     * about half the features are only children).
     */
    private void single(int a, int ls) {
      if (pending < 0) {
        System.arraycopy(levels, ls * bw, pendingMon, 0, rows);
        pending = a;
        return;
      }
      for (int c0 = 0; c0 < cyp; c0 += groupWidth(c0, cyp)) {
        sumTwo(pending, pendingMon, 0, a, levels, ls * bw, c0);
      }
      pending = -1;
    }

    /** Builds the children of node p (its monomials in level d, slot ps), adds them, then expands each. */
    private void expand(int p, int d, int ps) {
      int k = mono.childCount(p);
      if (k == 0) return;
      int first = mono.firstChild(p);
      int s = mono.vars();
      int src = (d * s + ps) * bw;
      int base = (d + 1) * s;
      int width = groupWidth(0, cyp);
      int j = 0;
      for (; j + 1 < k; j += 2) { // the first column group builds the children's monomials as it goes
        int oa = ((first + j) * cyp) * L;
        int xa = mono.var(first + j) * bw;
        int xb = mono.var(first + j + 1) * bw;
        if (width == 5) {
          FeatureKernels.sum2x5Fused(acc, oa, oa + cyp * L, levels, src, xt, xa, xb, (base + j) * bw,
              (base + j + 1) * bw, yt, bw, rows);
        } else {
          FeatureKernels.sum2x4Fused(acc, oa, oa + cyp * L, levels, src, xt, xa, xb, (base + j) * bw,
              (base + j + 1) * bw, yt, bw, rows);
        }
      }
      for (int c0 = width; c0 < cyp; c0 += groupWidth(c0, cyp)) {
        for (int i = 0; i + 1 < k; i += 2) {
          sumTwo(first + i, levels, (base + i) * bw, first + i + 1, levels, (base + i + 1) * bw, c0);
        }
      }
      if (j < k) {
        FeatureKernels.times(levels, src, xt, mono.var(first + j) * bw, levels, (base + j) * bw, rows);
        single(first + j, base + j);
      }
      for (j = 0; j < k; j++) expand(first + j, d + 1, j);
    }

    /** acc of features a and b (monomials at monA[ma..], monB[mb..]), the column group from c0. */
    private void sumTwo(int a, double[] monA, int ma, int b, double[] monB, int mb, int c0) {
      int oa = (a * cyp + c0) * L;
      int ob = (b * cyp + c0) * L;
      if (groupWidth(c0, cyp) == 5) {
        FeatureKernels.sum2x5(acc, oa, ob, monA, ma, monB, mb, yt, c0 * bw, bw, rows);
      } else {
        FeatureKernels.sum2x4(acc, oa, ob, monA, ma, monB, mb, yt, c0 * bw, bw, rows);
      }
    }

    /** acc of feature a alone (the last unpaired one of a block). */
    private void sumOne(int a, double[] mon, int ma, int c0) {
      int oa = (a * cyp + c0) * L;
      if (groupWidth(c0, cyp) == 5) {
        FeatureKernels.sum1x5(acc, oa, mon, ma, yt, c0 * bw, bw, rows);
      } else {
        FeatureKernels.sum1x4(acc, oa, mon, ma, yt, c0 * bw, bw, rows);
      }
    }
  }

  /** Partial M (unweighted) of rows [from, to): lane-wise accumulators, reduced in lane order at the end. */
  private static double[] accumulateChunk(Monomials mono, double[] x, int from, int to, double xScale, double[] y,
      int dy, boolean ones, boolean[] keep) {
    int r = mono.rank();
    int s = mono.vars();
    int cy = dy + (ones ? 1 : 0);
    int cyp = paddedColumns(cy);
    AccumulateBlock blk = new AccumulateBlock(mono, cyp);
    int bw = blk.bw;
    for (int b0 = from; b0 < to; b0 += bw) {
      blk.rows = Math.min(bw, (to - b0 + L - 1) / L * L); // whole tiles; rows past `to` are zeros
      for (int l = 0; l < blk.rows; l++) {
        int i = b0 + l;
        boolean in = i < to;
        boolean live = in && (keep == null || keep[i]);
        for (int v = 0; v < s; v++) blk.xt[v * bw + l] = in ? xScale * x[i * s + v] : 0;
        for (int c = 0; c < dy; c++) blk.yt[c * bw + l] = live ? y[i * dy + c] : 0;
        if (ones) blk.yt[dy * bw + l] = live ? 1 : 0;
      }
      blk.run();
    }
    double[] part = new double[r * cy];
    for (int a = 0; a < r; a++) {
      for (int c = 0; c < cy; c++) {
        int o = (a * cyp + c) * L;
        double sum = 0;
        for (int l = 0; l < L; l++) sum += blk.acc[o + l]; // lane order, never reduceLanes (its order may change)
        part[a * cy + c] = sum;
      }
    }
    return part;
  }

  private static void evaluateChunk(Monomials mono, double[] x, int from, int to, double xScale, double[] mp,
      double[] out, int cy, int cyp) {
    int r = mono.rank();
    int s = mono.vars();
    int bw = EVAL_TILES * L; // a short last step is padded with zero rows, computed and dropped
    double[] mon = new double[r * bw]; // [α][row of the step]
    double[] xt = new double[s * bw];
    double[] lanes = new double[5 * bw];
    for (int b0 = from; b0 < to; b0 += bw) {
      for (int l = 0; l < bw; l++) {
        int i = b0 + l;
        for (int v = 0; v < s; v++) xt[v * bw + l] = i < to ? xScale * x[i * s + v] : 0;
      }
      int live = Math.min(bw, to - b0); // rows of this step that exist
      for (int c0 = 0; c0 < cyp; c0 += groupWidth(c0, cyp)) {
        int width = groupWidth(c0, cyp);
        if (c0 == 0) {
          if (width == 5) {
            EvaluateKernels.eval2x5Fused(mono, xt, mon, bw, mp, r, cyp, lanes);
          } else {
            EvaluateKernels.eval2x4Fused(mono, xt, mon, bw, mp, r, cyp, lanes);
          }
        } else if (width == 5) {
          EvaluateKernels.eval2x5(mon, bw, 0, mp, r, c0, cyp, lanes);
        } else {
          EvaluateKernels.eval2x4(mon, bw, 0, mp, r, c0, cyp, lanes);
        }
        int cols = Math.min(width, cy - c0); // padded columns are not written
        for (int l = 0; l < live; l++) {
          for (int j = 0; j < cols; j++) out[(b0 + l) * cy + c0 + j] = lanes[j * bw + l];
        }
      }
    }
  }
}
