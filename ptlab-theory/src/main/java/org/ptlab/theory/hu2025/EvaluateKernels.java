package org.ptlab.theory.hu2025;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops of {@link FeatureSums#evaluate}: T[row][c] = Σ_α x^α·M[α][c] for two tiles of
 * rows (lanes) at a time, the monomials of a step as rows of {@code bw} = 2L doubles [α][row], M padded to
 * {@code cyp} columns, results into lanes [column][tile][lane]. Each method keeps 2 tiles × 4 or 5 columns of T in
 * locals (8–10 independent FMA chains) while it walks the features in graded order α = 0 … r−1, adding from zero by
 * FMA: that order is what keeps the bits fixed. Plain multiplies and FMAs only: no lanewise transcendental, no
 * reduceLanes.
 */
final class EvaluateKernels {
  private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
  private static final int L = SP.length();

  private EvaluateKernels() {}

  /** Tiles at t and t+L (block rows) × columns c0..c0+3. */
  static void eval2x4(double[] mon, int bw, int t, double[] m, int r, int c0, int cyp, double[] lanes) {
    DoubleVector a0 = DoubleVector.zero(SP);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    DoubleVector b0 = a0;
    DoubleVector b1 = a0;
    DoubleVector b2 = a0;
    DoubleVector b3 = a0;
    for (int a = 0; a < r; a++) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, a * bw + t);
      DoubleVector w = DoubleVector.fromArray(SP, mon, a * bw + t + L);
      int o = a * cyp + c0;
      DoubleVector c = DoubleVector.broadcast(SP, m[o]);
      a0 = u.fma(c, a0);
      b0 = w.fma(c, b0);
      c = DoubleVector.broadcast(SP, m[o + 1]);
      a1 = u.fma(c, a1);
      b1 = w.fma(c, b1);
      c = DoubleVector.broadcast(SP, m[o + 2]);
      a2 = u.fma(c, a2);
      b2 = w.fma(c, b2);
      c = DoubleVector.broadcast(SP, m[o + 3]);
      a3 = u.fma(c, a3);
      b3 = w.fma(c, b3);
    }
    a0.intoArray(lanes, 0);
    b0.intoArray(lanes, L);
    a1.intoArray(lanes, 2 * L);
    b1.intoArray(lanes, 3 * L);
    a2.intoArray(lanes, 4 * L);
    b2.intoArray(lanes, 5 * L);
    a3.intoArray(lanes, 6 * L);
    b3.intoArray(lanes, 7 * L);
  }

  /** Tiles at t and t+L × columns c0..c0+4. */
  static void eval2x5(double[] mon, int bw, int t, double[] m, int r, int c0, int cyp, double[] lanes) {
    DoubleVector a0 = DoubleVector.zero(SP);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    DoubleVector a4 = a0;
    DoubleVector b0 = a0;
    DoubleVector b1 = a0;
    DoubleVector b2 = a0;
    DoubleVector b3 = a0;
    DoubleVector b4 = a0;
    for (int a = 0; a < r; a++) {
      DoubleVector u = DoubleVector.fromArray(SP, mon, a * bw + t);
      DoubleVector w = DoubleVector.fromArray(SP, mon, a * bw + t + L);
      int o = a * cyp + c0;
      DoubleVector c = DoubleVector.broadcast(SP, m[o]);
      a0 = u.fma(c, a0);
      b0 = w.fma(c, b0);
      c = DoubleVector.broadcast(SP, m[o + 1]);
      a1 = u.fma(c, a1);
      b1 = w.fma(c, b1);
      c = DoubleVector.broadcast(SP, m[o + 2]);
      a2 = u.fma(c, a2);
      b2 = w.fma(c, b2);
      c = DoubleVector.broadcast(SP, m[o + 3]);
      a3 = u.fma(c, a3);
      b3 = w.fma(c, b3);
      c = DoubleVector.broadcast(SP, m[o + 4]);
      a4 = u.fma(c, a4);
      b4 = w.fma(c, b4);
    }
    a0.intoArray(lanes, 0);
    b0.intoArray(lanes, L);
    a1.intoArray(lanes, 2 * L);
    b1.intoArray(lanes, 3 * L);
    a2.intoArray(lanes, 4 * L);
    b2.intoArray(lanes, 5 * L);
    a3.intoArray(lanes, 6 * L);
    b3.intoArray(lanes, 7 * L);
    a4.intoArray(lanes, 8 * L);
    b4.intoArray(lanes, 9 * L);
  }

  /**
   * As {@link #eval2x5} for the first column group, building the monomials of the two tiles (rows 0..2L of xt, row
   * width bw = 2L) on the way: x^α = x^{parent}·x_m is stored into mon for the later groups and used at once.
   * (Separate from the four-column twin: a vector live across a branch can cost C2 a box, 13 % in accumulate.)
   */
  static void eval2x5Fused(Monomials mono, double[] xt, double[] mon, int bw, double[] m, int r, int cyp,
      double[] lanes) {
    DoubleVector u = DoubleVector.broadcast(SP, 1.0);
    u.intoArray(mon, 0);
    u.intoArray(mon, L);
    DoubleVector zero = DoubleVector.zero(SP);
    DoubleVector a0 = u.fma(DoubleVector.broadcast(SP, m[0]), zero);
    DoubleVector a1 = u.fma(DoubleVector.broadcast(SP, m[1]), zero);
    DoubleVector a2 = u.fma(DoubleVector.broadcast(SP, m[2]), zero);
    DoubleVector a3 = u.fma(DoubleVector.broadcast(SP, m[3]), zero);
    DoubleVector a4 = u.fma(DoubleVector.broadcast(SP, m[4]), zero);
    DoubleVector b0 = a0;
    DoubleVector b1 = a1;
    DoubleVector b2 = a2;
    DoubleVector b3 = a3;
    DoubleVector b4 = a4;
    for (int a = 1; a < r; a++) {
      int p = mono.parent(a) * bw;
      int v = mono.var(a) * bw;
      u = DoubleVector.fromArray(SP, mon, p).mul(DoubleVector.fromArray(SP, xt, v));
      DoubleVector w = DoubleVector.fromArray(SP, mon, p + L).mul(DoubleVector.fromArray(SP, xt, v + L));
      u.intoArray(mon, a * bw);
      w.intoArray(mon, a * bw + L);
      int o = a * cyp;
      DoubleVector c = DoubleVector.broadcast(SP, m[o]);
      a0 = u.fma(c, a0);
      b0 = w.fma(c, b0);
      c = DoubleVector.broadcast(SP, m[o + 1]);
      a1 = u.fma(c, a1);
      b1 = w.fma(c, b1);
      c = DoubleVector.broadcast(SP, m[o + 2]);
      a2 = u.fma(c, a2);
      b2 = w.fma(c, b2);
      c = DoubleVector.broadcast(SP, m[o + 3]);
      a3 = u.fma(c, a3);
      b3 = w.fma(c, b3);
      c = DoubleVector.broadcast(SP, m[o + 4]);
      a4 = u.fma(c, a4);
      b4 = w.fma(c, b4);
    }
    a0.intoArray(lanes, 0);
    b0.intoArray(lanes, L);
    a1.intoArray(lanes, 2 * L);
    b1.intoArray(lanes, 3 * L);
    a2.intoArray(lanes, 4 * L);
    b2.intoArray(lanes, 5 * L);
    a3.intoArray(lanes, 6 * L);
    b3.intoArray(lanes, 7 * L);
    a4.intoArray(lanes, 8 * L);
    b4.intoArray(lanes, 9 * L);
  }


  /** As {@link #eval2x5Fused} with four columns. */
  static void eval2x4Fused(Monomials mono, double[] xt, double[] mon, int bw, double[] m, int r, int cyp,
      double[] lanes) {
    DoubleVector u = DoubleVector.broadcast(SP, 1.0);
    u.intoArray(mon, 0);
    u.intoArray(mon, L);
    DoubleVector zero = DoubleVector.zero(SP);
    DoubleVector a0 = u.fma(DoubleVector.broadcast(SP, m[0]), zero);
    DoubleVector a1 = u.fma(DoubleVector.broadcast(SP, m[1]), zero);
    DoubleVector a2 = u.fma(DoubleVector.broadcast(SP, m[2]), zero);
    DoubleVector a3 = u.fma(DoubleVector.broadcast(SP, m[3]), zero);
    DoubleVector b0 = a0;
    DoubleVector b1 = a1;
    DoubleVector b2 = a2;
    DoubleVector b3 = a3;
    for (int a = 1; a < r; a++) {
      int p = mono.parent(a) * bw;
      int v = mono.var(a) * bw;
      u = DoubleVector.fromArray(SP, mon, p).mul(DoubleVector.fromArray(SP, xt, v));
      DoubleVector w = DoubleVector.fromArray(SP, mon, p + L).mul(DoubleVector.fromArray(SP, xt, v + L));
      u.intoArray(mon, a * bw);
      w.intoArray(mon, a * bw + L);
      int o = a * cyp;
      DoubleVector c = DoubleVector.broadcast(SP, m[o]);
      a0 = u.fma(c, a0);
      b0 = w.fma(c, b0);
      c = DoubleVector.broadcast(SP, m[o + 1]);
      a1 = u.fma(c, a1);
      b1 = w.fma(c, b1);
      c = DoubleVector.broadcast(SP, m[o + 2]);
      a2 = u.fma(c, a2);
      b2 = w.fma(c, b2);
      c = DoubleVector.broadcast(SP, m[o + 3]);
      a3 = u.fma(c, a3);
      b3 = w.fma(c, b3);
    }
    a0.intoArray(lanes, 0);
    b0.intoArray(lanes, L);
    a1.intoArray(lanes, 2 * L);
    b1.intoArray(lanes, 3 * L);
    a2.intoArray(lanes, 4 * L);
    b2.intoArray(lanes, 5 * L);
    a3.intoArray(lanes, 6 * L);
    b3.intoArray(lanes, 7 * L);
  }

}
