package org.ptlab.theory.hu2025;

import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;

/**
 * Exact softmax attention Att = D⁻¹·exp(scale·QKᵀ)·V, as the reference the polynomial method is measured against,
 * and as its per-row fallback. Tokens are rows: q [nq, s], k [nk, s], v [nk, dv], all row-major float64.
 *
 * <p>Three forms: {@link #row} (one query, O(nk·(s+dv)), the guarded-denominator fallback); {@link #dense} (every
 * row by {@link #row}, for tests); {@link #blocked} (the engine's fused {@link Tensor#attention} over blocks of
 * query rows, so each block's scores stay in cache and no nq×nk matrix is ever held: the timed exact baseline).
 */
public final class ExactAttention {
  private ExactAttention() {}

  /** out[outOff..+dv) = softmax_j(scale·q·k_j over kept j)·V. A query with no kept key gets 0. */
  public static void row(double[] q, int qOff, double[] k, int nk, int s, double[] v, int dv, double scale,
      boolean[] keep, double[] out, int outOff) {
    double max = Double.NEGATIVE_INFINITY;
    double[] sc = new double[nk];
    for (int j = 0; j < nk; j++) {
      if (keep != null && !keep[j]) continue;
      double t = 0;
      for (int m = 0; m < s; m++) t += q[qOff + m] * k[j * s + m];
      sc[j] = scale * t;
      max = Math.max(max, sc[j]);
    }
    for (int c = 0; c < dv; c++) out[outOff + c] = 0;
    if (max == Double.NEGATIVE_INFINITY) return;
    double sum = 0;
    for (int j = 0; j < nk; j++) {
      if (keep != null && !keep[j]) continue;
      double e = Math.exp(sc[j] - max);
      sum += e;
      for (int c = 0; c < dv; c++) out[outOff + c] += e * v[j * dv + c];
    }
    for (int c = 0; c < dv; c++) out[outOff + c] /= sum;
  }

  /** Every row by {@link #row}: out [nq, dv]. O(nq·nk·(s+dv)); for tests and small problems. */
  public static double[] dense(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double scale,
      boolean[] keep) {
    double[] out = new double[nq * dv];
    int tasks = (nq + 63) / 64;
    Parallel.defaults().forEach(tasks, t -> {
      for (int i = t * 64; i < Math.min(nq, t * 64 + 64); i++) row(q, i * s, k, nk, s, v, dv, scale, keep, out, i * dv);
    });
    return out;
  }

  /** exp(scale·q_i·k_j) [nq, nk]: the matrix A the polynomial method approximates entrywise (check A2). */
  public static double[] kernelMatrix(double[] q, int nq, double[] k, int nk, int s, double scale) {
    double[] a = new double[nq * nk];
    for (int i = 0; i < nq; i++) {
      for (int j = 0; j < nk; j++) {
        double t = 0;
        for (int m = 0; m < s; m++) t += q[i * s + m] * k[j * s + m];
        a[i * nk + j] = Math.exp(scale * t);
      }
    }
    return a;
  }

  /** The true exponent range max_ij |scale·q_i·k_j|, O(nq·nk·s): for tests and reports, never the fast path. */
  public static double maxAbsScore(double[] q, int nq, double[] k, int nk, int s, double scale) {
    double best = 0;
    for (int i = 0; i < nq; i++) {
      for (int j = 0; j < nk; j++) {
        double t = 0;
        for (int m = 0; m < s; m++) t += q[i * s + m] * k[j * s + m];
        best = Math.max(best, Math.abs(scale * t));
      }
    }
    return best;
  }

  /**
   * Query rows per block of {@link #blocked}: blockRows·nk scores of 8 bytes in about 2 MiB, 16 to 128 rows
   * (measured on the development machine, n = 4096…65536: within 20% of the best block size; fewer rows pay the
   * per-call overhead, more leave the cache).
   */
  public static int defaultBlockRows(int nk) {
    return Math.max(16, Math.min(128, (1 << 18) / Math.max(1, nk)));
  }

  /**
   * The engine's fused exact attention over blocks of {@code blockRows} query rows, blocks in parallel; in one call
   * where the engine takes its float64 row kernel (no n² scores there).
   *
   * @param q [nq, s] (F64), not modified
   * @param k [nk, s]
   * @param v [nk, dv]
   * @return [nq, dv], no graph
   */
  public static Tensor blocked(Tensor q, Tensor k, Tensor v, double scale, int blockRows) {
    int nq = q.dim(0);
    int s = q.dim(1);
    int nk = k.dim(0);
    int dv = v.dim(1);
    Tensor kb = Tensor.view(k, k.offset(), 1, nk, s); // [1, nk, s]
    Tensor vb = Tensor.view(v, v.offset(), 1, nk, dv); // [1, nk, dv]
    try (GradMode.Scope ng = GradMode.noGrad()) {
      if (CostModel.rowKernel(q, k, v, nk, s, dv, scale, null, false)) {
        // the engine's float64 row kernel keeps no score matrix and spreads rows over the pool itself; blocks on
        // top of it would nest pool calls (measured: n = 2048 took 2× the time per score of n = 4096). Same
        // values: every row is computed alone either way.
        Tensor ob = Tensor.attention(Tensor.view(q, q.offset(), 1, nq, s), kb, vb, 1, scale, null, false);
        return Tensor.view(ob, ob.offset(), nq, dv).copy(); // [nq, dv]
      }
    }
    Tensor out = Tensor.zeros(q.dtype(), nq, dv);
    int blocks = (nq + blockRows - 1) / blockRows;
    Parallel.defaults().forEach(blocks, b -> {
      int i0 = b * blockRows;
      int rows = Math.min(blockRows, nq - i0);
      Tensor qb = Tensor.view(q, q.offset() + i0 * s, 1, rows, s); // [1, rows, s]
      Tensor ob;
      try (GradMode.Scope ng = GradMode.noGrad()) {
        ob = Tensor.attention(qb, kb, vb, 1, scale, null, false); // [1, rows, dv]
      }
      Tensor.view(out, i0 * dv, rows, dv).copyFrom(Tensor.view(ob, ob.offset(), rows, dv));
    });
    return out;
  }
}
