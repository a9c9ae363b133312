package org.ptlab.theory.hu2025;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops of {@link FeatureSums#accumulate} ({@link EvaluateKernels} has evaluate's).
 * Rows lie across the vector lanes; a block's monomials are rows of {@code bw} doubles (one per row of the block),
 * as are its Y columns {@code yt}. Each method keeps a fixed set of lane sums in locals, so in registers, for a
 * whole block: two features × 4 or 5 columns = 8–10 independent FMA chains (one feature only for the last unpaired
 * one). The column groups are 4 or 5 wide ({@link FeatureSums#paddedColumns}); there is one method per shape
 * because the Vector API cannot keep a variable number of vectors in registers.
 *
 * <p>Summation order, which is what keeps the bits of {@link FeatureSums} fixed: the lane sums acc[α][c][lane] add
 * the block's rows in row order, continuing from the value the previous block left. Plain multiplies and FMAs
 * only: no lanewise transcendental, no reduceLanes.
 */
final class FeatureKernels {
  private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
  private static final int L = SP.length();

  private FeatureKernels() {}

  /** dst[dOff + t] = src[sOff + t]·x[xOff + t] for t &lt; rows: one feature from its parent. */
  static void times(double[] src, int sOff, double[] x, int xOff, double[] dst, int dOff, int rows) {
    for (int t = 0; t < rows; t += L) {
      DoubleVector.fromArray(SP, src, sOff + t).mul(DoubleVector.fromArray(SP, x, xOff + t)).intoArray(dst, dOff + t);
    }
  }

  // ---- accumulate: acc[α][c][lane] += Σ_rows mon_α·y_c; the columns of a group are L apart in acc ----

  /** Two features (acc at oa, ob; monomials at mon[ma..], monB[mb..]) × four columns (yt rows y0, y0+bw, …). */
  static void sum2x4(double[] acc, int oa, int ob, double[] mon, int ma, double[] monB, int mb, double[] yt,
      int y0, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    DoubleVector b0 = DoubleVector.fromArray(SP, acc, ob);
    DoubleVector b1 = DoubleVector.fromArray(SP, acc, ob + L);
    DoubleVector b2 = DoubleVector.fromArray(SP, acc, ob + 2 * L);
    DoubleVector b3 = DoubleVector.fromArray(SP, acc, ob + 3 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, ma + t);
      DoubleVector w = DoubleVector.fromArray(SP, monB, mb + t);
      DoubleVector y = DoubleVector.fromArray(SP, yt, y0 + t);
      a0 = u.fma(y, a0);
      b0 = w.fma(y, b0);
      y = DoubleVector.fromArray(SP, yt, y0 + bw + t);
      a1 = u.fma(y, a1);
      b1 = w.fma(y, b1);
      y = DoubleVector.fromArray(SP, yt, y0 + 2 * bw + t);
      a2 = u.fma(y, a2);
      b2 = w.fma(y, b2);
      y = DoubleVector.fromArray(SP, yt, y0 + 3 * bw + t);
      a3 = u.fma(y, a3);
      b3 = w.fma(y, b3);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
    b0.intoArray(acc, ob);
    b1.intoArray(acc, ob + L);
    b2.intoArray(acc, ob + 2 * L);
    b3.intoArray(acc, ob + 3 * L);
  }

  /** Two features × five columns. */
  static void sum2x5(double[] acc, int oa, int ob, double[] mon, int ma, double[] monB, int mb, double[] yt,
      int y0, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    DoubleVector a4 = DoubleVector.fromArray(SP, acc, oa + 4 * L);
    DoubleVector b0 = DoubleVector.fromArray(SP, acc, ob);
    DoubleVector b1 = DoubleVector.fromArray(SP, acc, ob + L);
    DoubleVector b2 = DoubleVector.fromArray(SP, acc, ob + 2 * L);
    DoubleVector b3 = DoubleVector.fromArray(SP, acc, ob + 3 * L);
    DoubleVector b4 = DoubleVector.fromArray(SP, acc, ob + 4 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, ma + t);
      DoubleVector w = DoubleVector.fromArray(SP, monB, mb + t);
      DoubleVector y = DoubleVector.fromArray(SP, yt, y0 + t);
      a0 = u.fma(y, a0);
      b0 = w.fma(y, b0);
      y = DoubleVector.fromArray(SP, yt, y0 + bw + t);
      a1 = u.fma(y, a1);
      b1 = w.fma(y, b1);
      y = DoubleVector.fromArray(SP, yt, y0 + 2 * bw + t);
      a2 = u.fma(y, a2);
      b2 = w.fma(y, b2);
      y = DoubleVector.fromArray(SP, yt, y0 + 3 * bw + t);
      a3 = u.fma(y, a3);
      b3 = w.fma(y, b3);
      y = DoubleVector.fromArray(SP, yt, y0 + 4 * bw + t);
      a4 = u.fma(y, a4);
      b4 = w.fma(y, b4);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
    a4.intoArray(acc, oa + 4 * L);
    b0.intoArray(acc, ob);
    b1.intoArray(acc, ob + L);
    b2.intoArray(acc, ob + 2 * L);
    b3.intoArray(acc, ob + 3 * L);
    b4.intoArray(acc, ob + 4 * L);
  }

  /** One feature × four columns. */
  static void sum1x4(double[] acc, int oa, double[] mon, int ma, double[] yt, int y0, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, ma + t);
      a0 = u.fma(DoubleVector.fromArray(SP, yt, y0 + t), a0);
      a1 = u.fma(DoubleVector.fromArray(SP, yt, y0 + bw + t), a1);
      a2 = u.fma(DoubleVector.fromArray(SP, yt, y0 + 2 * bw + t), a2);
      a3 = u.fma(DoubleVector.fromArray(SP, yt, y0 + 3 * bw + t), a3);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
  }

  /** One feature × five columns. */
  static void sum1x5(double[] acc, int oa, double[] mon, int ma, double[] yt, int y0, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    DoubleVector a4 = DoubleVector.fromArray(SP, acc, oa + 4 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, ma + t);
      a0 = u.fma(DoubleVector.fromArray(SP, yt, y0 + t), a0);
      a1 = u.fma(DoubleVector.fromArray(SP, yt, y0 + bw + t), a1);
      a2 = u.fma(DoubleVector.fromArray(SP, yt, y0 + 2 * bw + t), a2);
      a3 = u.fma(DoubleVector.fromArray(SP, yt, y0 + 3 * bw + t), a3);
      a4 = u.fma(DoubleVector.fromArray(SP, yt, y0 + 4 * bw + t), a4);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
    a4.intoArray(acc, oa + 4 * L);
  }

  /**
   * As {@link #sum2x5} over the first five columns (yt rows 0..4) for two sibling features, building their monomials
   * from the parent's on the way: mon[da] = mon[src]·xt[xa], mon[db] = mon[src]·xt[xb], stored for their children
   * and the later column groups, and used at once. (Separate from the four-column twin: a vector live across a
   * branch can cost C2 a box.)
   */
  static void sum2x5Fused(double[] acc, int oa, int ob, double[] mon, int src, double[] xt, int xa, int xb, int da,
      int db, double[] yt, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    DoubleVector a4 = DoubleVector.fromArray(SP, acc, oa + 4 * L);
    DoubleVector b0 = DoubleVector.fromArray(SP, acc, ob);
    DoubleVector b1 = DoubleVector.fromArray(SP, acc, ob + L);
    DoubleVector b2 = DoubleVector.fromArray(SP, acc, ob + 2 * L);
    DoubleVector b3 = DoubleVector.fromArray(SP, acc, ob + 3 * L);
    DoubleVector b4 = DoubleVector.fromArray(SP, acc, ob + 4 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector p = DoubleVector.fromArray(SP, mon, src + t);
      DoubleVector u = p.mul(DoubleVector.fromArray(SP, xt, xa + t));
      DoubleVector w = p.mul(DoubleVector.fromArray(SP, xt, xb + t));
      u.intoArray(mon, da + t);
      w.intoArray(mon, db + t);
      DoubleVector y = DoubleVector.fromArray(SP, yt, t);
      a0 = u.fma(y, a0);
      b0 = w.fma(y, b0);
      y = DoubleVector.fromArray(SP, yt, bw + t);
      a1 = u.fma(y, a1);
      b1 = w.fma(y, b1);
      y = DoubleVector.fromArray(SP, yt, 2 * bw + t);
      a2 = u.fma(y, a2);
      b2 = w.fma(y, b2);
      y = DoubleVector.fromArray(SP, yt, 3 * bw + t);
      a3 = u.fma(y, a3);
      b3 = w.fma(y, b3);
      y = DoubleVector.fromArray(SP, yt, 4 * bw + t);
      a4 = u.fma(y, a4);
      b4 = w.fma(y, b4);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
    a4.intoArray(acc, oa + 4 * L);
    b0.intoArray(acc, ob);
    b1.intoArray(acc, ob + L);
    b2.intoArray(acc, ob + 2 * L);
    b3.intoArray(acc, ob + 3 * L);
    b4.intoArray(acc, ob + 4 * L);
  }


  /** As {@link #sum2x5Fused} with four columns. */
  static void sum2x4Fused(double[] acc, int oa, int ob, double[] mon, int src, double[] xt, int xa, int xb, int da,
      int db, double[] yt, int bw, int rows) {
    DoubleVector a0 = DoubleVector.fromArray(SP, acc, oa);
    DoubleVector a1 = DoubleVector.fromArray(SP, acc, oa + L);
    DoubleVector a2 = DoubleVector.fromArray(SP, acc, oa + 2 * L);
    DoubleVector a3 = DoubleVector.fromArray(SP, acc, oa + 3 * L);
    DoubleVector b0 = DoubleVector.fromArray(SP, acc, ob);
    DoubleVector b1 = DoubleVector.fromArray(SP, acc, ob + L);
    DoubleVector b2 = DoubleVector.fromArray(SP, acc, ob + 2 * L);
    DoubleVector b3 = DoubleVector.fromArray(SP, acc, ob + 3 * L);
    for (int t = 0; t < rows; t += L) {
      DoubleVector p = DoubleVector.fromArray(SP, mon, src + t);
      DoubleVector u = p.mul(DoubleVector.fromArray(SP, xt, xa + t));
      DoubleVector w = p.mul(DoubleVector.fromArray(SP, xt, xb + t));
      u.intoArray(mon, da + t);
      w.intoArray(mon, db + t);
      DoubleVector y = DoubleVector.fromArray(SP, yt, t);
      a0 = u.fma(y, a0);
      b0 = w.fma(y, b0);
      y = DoubleVector.fromArray(SP, yt, bw + t);
      a1 = u.fma(y, a1);
      b1 = w.fma(y, b1);
      y = DoubleVector.fromArray(SP, yt, 2 * bw + t);
      a2 = u.fma(y, a2);
      b2 = w.fma(y, b2);
      y = DoubleVector.fromArray(SP, yt, 3 * bw + t);
      a3 = u.fma(y, a3);
      b3 = w.fma(y, b3);
    }
    a0.intoArray(acc, oa);
    a1.intoArray(acc, oa + L);
    a2.intoArray(acc, oa + 2 * L);
    a3.intoArray(acc, oa + 3 * L);
    b0.intoArray(acc, ob);
    b1.intoArray(acc, ob + L);
    b2.intoArray(acc, ob + 2 * L);
    b3.intoArray(acc, ob + 3 * L);
  }

}
