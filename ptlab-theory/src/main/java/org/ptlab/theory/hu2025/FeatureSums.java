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
 * <p>Vectorization: rows go across the vector lanes (8 rows per AVX-512 vector), so building the r monomials of 8
 * rows is r vector multiplications (x^α = x^{parent}·x_m lane-wise), and the products are lane-wise FMAs in column
 * groups of 4 (the last c mod 4 columns one at a time, so no FMA is spent on padding). Cost O(n·r·c)
 * multiply-adds, O(r·c·L) scratch per task.
 *
 * <p>Determinism: rows are cut into tasks of {@link #CHUNK} (a constant, not the thread count); each task's lane
 * sums are reduced in lane order and the tasks' partial M are added in task order. Per-row outputs of
 * {@link #evaluate} depend on that row alone, so a subset of queries gives bit-identical rows (check A6).
 *
 * <p>Layout: x is [n, s] row-major (tokens as rows), Y is [n, c] row-major, M is [r, c] row-major.
 */
final class FeatureSums {
  private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
  private static final int L = SP.length();
  /** Columns per register group. */
  private static final int G = 4;
  /** Rows per parallel task: fixed, so results never depend on the number of threads. */
  static final int CHUNK = 2048;

  private FeatureSums() {}

  /**
   * M [r, cy] = diag(w)·Σ_j mono(xScale·x_j) ⊗ y_j over the rows j with keep[j] (keep null: all rows).
   *
   * @param x [n, s], not modified
   * @param y [n, cy], not modified
   */
  static double[] accumulate(Monomials mono, double[] w, double[] x, int n, double xScale, double[] y, int cy,
      boolean[] keep) {
    int r = mono.rank();
    int tasks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    double[][] parts = new double[tasks][];
    Parallel.defaults().forEach(tasks, t -> parts[t] = accumulateChunk(mono, x, t * CHUNK,
        Math.min(n, (t + 1) * CHUNK), xScale, y, cy, keep));
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
    double[] mp = new double[r * cy]; // M regrouped: [group][α][4] for full groups, then [column][α] for the rest
    for (int a = 0; a < r; a++) {
      for (int c = 0; c < cy; c++) mp[slot(c, a, r, cy, 1)] = m[a * cy + c];
    }
    double[] out = new double[n * cy];
    int tasks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    Parallel.defaults().forEach(tasks, t -> evaluateChunk(mono, x, t * CHUNK, Math.min(n, (t + 1) * CHUNK), xScale,
        mp, out, cy));
    return out;
  }

  /** Partial M (unweighted) of rows [from, to): lane-wise accumulators, reduced in lane order at the end. */
  private static double[] accumulateChunk(Monomials mono, double[] x, int from, int to, double xScale, double[] y,
      int cy, boolean[] keep) {
    int r = mono.rank();
    int s = mono.vars();
    int groups = cy / G;
    double[] acc = new double[r * cy * L]; // [group][α][4][lane] for full groups, then [column][α][lane]
    double[] mon = new double[r * L]; // [α][lane]
    double[] xt = new double[s * L]; // [var][lane]
    double[] yt = new double[cy * L]; // [column][lane]
    for (int i0 = from; i0 < to; i0 += L) {
      java.util.Arrays.fill(yt, 0);
      for (int l = 0; l < L; l++) {
        int i = i0 + l;
        boolean live = i < to && (keep == null || keep[i]);
        for (int v = 0; v < s; v++) xt[v * L + l] = i < to ? xScale * x[i * s + v] : 0;
        if (live) for (int c = 0; c < cy; c++) yt[c * L + l] = y[i * cy + c];
      }
      monomials(mono, xt, mon);
      for (int gr = 0; gr < groups; gr++) {
        DoubleVector y0 = DoubleVector.fromArray(SP, yt, (gr * G) * L);
        DoubleVector y1 = DoubleVector.fromArray(SP, yt, (gr * G + 1) * L);
        DoubleVector y2 = DoubleVector.fromArray(SP, yt, (gr * G + 2) * L);
        DoubleVector y3 = DoubleVector.fromArray(SP, yt, (gr * G + 3) * L);
        int base = gr * r * G * L;
        for (int a = 0; a < r; a++) {
          DoubleVector mv = DoubleVector.fromArray(SP, mon, a * L);
          int o = base + a * G * L;
          mv.fma(y0, DoubleVector.fromArray(SP, acc, o)).intoArray(acc, o);
          mv.fma(y1, DoubleVector.fromArray(SP, acc, o + L)).intoArray(acc, o + L);
          mv.fma(y2, DoubleVector.fromArray(SP, acc, o + 2 * L)).intoArray(acc, o + 2 * L);
          mv.fma(y3, DoubleVector.fromArray(SP, acc, o + 3 * L)).intoArray(acc, o + 3 * L);
        }
      }
      for (int c = groups * G; c < cy; c++) { // the last cy mod 4 columns one at a time (no padded FMAs)
        DoubleVector yc = DoubleVector.fromArray(SP, yt, c * L);
        int base = slot(c, 0, r, cy, L);
        for (int a = 0; a < r; a++) {
          int o = base + a * L;
          DoubleVector.fromArray(SP, mon, a * L).fma(yc, DoubleVector.fromArray(SP, acc, o)).intoArray(acc, o);
        }
      }
    }
    double[] part = new double[r * cy];
    for (int a = 0; a < r; a++) {
      for (int c = 0; c < cy; c++) {
        int o = slot(c, a, r, cy, L);
        double sum = 0;
        for (int l = 0; l < L; l++) sum += acc[o + l]; // lane order, never reduceLanes (its order may change)
        part[a * cy + c] = sum;
      }
    }
    return part;
  }

  private static void evaluateChunk(Monomials mono, double[] x, int from, int to, double xScale, double[] mp,
      double[] out, int cy) {
    int groups = cy / G;
    int r = mono.rank();
    int s = mono.vars();
    double[] mon = new double[r * L];
    double[] xt = new double[s * L];
    double[] lanes = new double[G * L];
    for (int i0 = from; i0 < to; i0 += L) {
      for (int l = 0; l < L; l++) {
        int i = i0 + l;
        for (int v = 0; v < s; v++) xt[v * L + l] = i < to ? xScale * x[i * s + v] : 0;
      }
      monomials(mono, xt, mon);
      for (int gr = 0; gr < groups; gr++) {
        DoubleVector a0 = DoubleVector.zero(SP);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        int base = gr * r * G;
        for (int a = 0; a < r; a++) {
          DoubleVector mv = DoubleVector.fromArray(SP, mon, a * L);
          int o = base + a * G;
          a0 = mv.fma(DoubleVector.broadcast(SP, mp[o]), a0);
          a1 = mv.fma(DoubleVector.broadcast(SP, mp[o + 1]), a1);
          a2 = mv.fma(DoubleVector.broadcast(SP, mp[o + 2]), a2);
          a3 = mv.fma(DoubleVector.broadcast(SP, mp[o + 3]), a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
        for (int l = 0; l < L && i0 + l < to; l++) {
          for (int c = gr * G; c < gr * G + G; c++) out[(i0 + l) * cy + c] = lanes[(c - gr * G) * L + l];
        }
      }
      for (int c = groups * G; c < cy; c++) {
        DoubleVector ac = DoubleVector.zero(SP);
        int base = slot(c, 0, r, cy, 1);
        for (int a = 0; a < r; a++) {
          ac = DoubleVector.fromArray(SP, mon, a * L).fma(DoubleVector.broadcast(SP, mp[base + a]), ac);
        }
        ac.intoArray(lanes, 0);
        for (int l = 0; l < L && i0 + l < to; l++) out[(i0 + l) * cy + c] = lanes[l];
      }
    }
  }

  /**
   * Where column c of feature α sits in a grouped buffer of r·cy blocks of {@code width} doubles: full groups of
   * 4 columns as [group][α][4], then the last cy mod 4 columns as [column][α].
   */
  private static int slot(int c, int a, int r, int cy, int width) {
    int full = cy / G * G;
    if (c < full) return (((c / G) * r + a) * G + c % G) * width;
    return (full * r + (c - full) * r + a) * width;
  }

  /** mon[α][lane] = Π x^α lane-wise, from xt [var][lane]: one vector multiply per feature. */
  private static void monomials(Monomials mono, double[] xt, double[] mon) {
    DoubleVector.broadcast(SP, 1.0).intoArray(mon, 0);
    int r = mono.rank();
    for (int a = 1; a < r; a++) {
      DoubleVector p = DoubleVector.fromArray(SP, mon, mono.parent(a) * L);
      p.mul(DoubleVector.fromArray(SP, xt, mono.var(a) * L)).intoArray(mon, a * L);
    }
  }
}
