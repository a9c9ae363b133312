package org.ptlab.theory.hu2025;

import java.math.BigInteger;
import java.util.function.UnaryOperator;

/**
 * The finite family F̄ of quantized sequence-to-sequence functions of spec hu2025.md §2.2 Steps A–B [D], and the
 * prompt code of each member. Tokens are rows: an input X is [L, d], flattened row-major to {@code double[L·d]}.
 *
 * <ul>
 *   <li>Input grid G_δ = {0, δ, …, 1−δ}^{L×d}, 1/δ an integer; cell of X: every entry rounded down to the grid.
 *       There are M = (1/δ)^{dL} cells, numbered by the base-(1/δ) digits of their entries (entry 0 least
 *       significant).
 *   <li>f̄(X) = ⌊f(⌊X⌋_δ)⌋_{δ_out}: the output entries are rounded down to {0, δ_out, …, 1−δ_out} (values ≥ 1 are
 *       clamped to 1−δ_out), so ‖f̄ − f‖ per entry ≤ C·δ-term + δ_out.
 *   <li>A member is a table of V = 1/δ_out digits, one per (cell, output entry): index = Σ digit·V^position with
 *       position = cell·dL + entry. |F̄| = V^{dL·M}.
 *   <li>Prompt code P_f̄ [L_p, d]: the base-(1/δ_P) digits of the index, times δ_P, entry 0 least significant.
 *       L_p = ⌈log|F̄| / (d·log(1/δ_P))⌉, computed exactly (the least L_p with (1/δ_P)^{d·L_p} ≥ |F̄|).
 * </ul>
 * δ_P must be a multiple of δ: the quantizer FF_1 (spec §0.1) also acts on the prompt rows, and only prompt
 * entries on the δ grid pass it unchanged. This is checked here.
 */
public record QuantizedFamily(int d, int L, int levels, int outLevels, int promptLevels) {
  /** {@code levels} = 1/δ, {@code outLevels} = 1/δ_out, {@code promptLevels} = 1/δ_P. */
  public QuantizedFamily {
    if (d < 1 || L < 1) throw new IllegalArgumentException("family: d and L must be >= 1, got d = " + d + ", L = " + L);
    if (levels < 2 || outLevels < 2 || promptLevels < 2) {
      throw new IllegalArgumentException("family: 1/δ, 1/δ_out and 1/δ_P must be integers >= 2, got " + levels
          + ", " + outLevels + ", " + promptLevels);
    }
    if (levels % promptLevels != 0) {
      throw new IllegalArgumentException("family: δ_P = 1/" + promptLevels + " is not on the δ = 1/" + levels
          + " grid (FF1 quantizes prompt rows too, so δ_P must be a multiple of δ)");
    }
  }

  /** From widths: each of δ, δ_out, δ_P must be 1/k for an integer k ≥ 2 (to 1e-12). */
  public static QuantizedFamily of(int d, int L, double delta, double deltaOut, double deltaP) {
    return new QuantizedFamily(d, L, inverse("δ", delta), inverse("δ_out", deltaOut), inverse("δ_P", deltaP));
  }

  private static int inverse(String name, double w) {
    double k = 1 / w;
    if (!(w > 0) || Math.abs(k - Math.rint(k)) > 1e-9 * k || Math.rint(k) < 2 || k > 1e6) {
      throw new IllegalArgumentException("family: " + name + " must be 1/k for an integer k >= 2, got " + w);
    }
    return (int) Math.rint(k);
  }

  public double delta() { return 1.0 / levels; }
  public double deltaOut() { return 1.0 / outLevels; }
  public double deltaP() { return 1.0 / promptLevels; }

  /** Entries of one input (and one output): d·L. */
  public int entries() {
    return d * L;
  }

  /** M = (1/δ)^{dL}, or an error naming the size when it exceeds an int. */
  public int cells() {
    double m = Math.pow(levels, entries());
    if (m > Integer.MAX_VALUE) throw new IllegalArgumentException("family: (1/δ)^{dL} = " + m + " cells do not fit");
    return (int) Math.round(m);
  }

  /** log |F̄| = dL·M·log(1/δ_out) (natural log). */
  public double logFamilySize() {
    return entries() * (double) cells() * Math.log(outLevels);
  }

  /** |F̄| exactly. */
  public BigInteger familySize() {
    return BigInteger.valueOf(outLevels).pow(entries() * cells());
  }

  /** L_p = ⌈log|F̄| / (d·log(1/δ_P))⌉, exactly: the least L_p with (1/δ_P)^{d·L_p} ≥ |F̄|. */
  public int promptLength() {
    int guess = (int) Math.ceil(logFamilySize() / (d * Math.log(promptLevels)) - 1e-9);
    BigInteger size = familySize();
    BigInteger base = BigInteger.valueOf(promptLevels);
    while (guess > 1 && base.pow(d * (guess - 1)).compareTo(size) >= 0) guess--; // rounding of the logs
    while (base.pow(d * guess).compareTo(size) < 0) guess++;
    return guess;
  }

  /** The cell of grid point number {@code cell}: [L·d] entries on the δ grid. */
  public double[] cellPoint(int cell) {
    double[] g = new double[entries()];
    for (int e = 0; e < g.length; e++, cell /= levels) g[e] = (cell % levels) * delta();
    return g;
  }

  /** The number of the cell containing x ∈ [0,1)^{L×d}. */
  public int cellOf(double[] x) {
    int cell = 0;
    for (int e = x.length - 1; e >= 0; e--) cell = cell * levels + Math.min(levels - 1, (int) Math.floor(x[e] * levels));
    return cell;
  }

  /** One output value rounded down to the δ_out grid, clamped to [0, 1 − δ_out]. */
  public int outDigit(double y) {
    return Math.max(0, Math.min(outLevels - 1, (int) Math.floor(y * outLevels)));
  }

  /** f̄ of a target f (X [L·d] → Y [L·d]) as its digit table [M][dL]: f evaluated at the lower corner of each cell. */
  public int[][] table(UnaryOperator<double[]> f) {
    int[][] t = new int[cells()][entries()];
    for (int c = 0; c < t.length; c++) {
      double[] y = f.apply(cellPoint(c));
      for (int e = 0; e < y.length; e++) t[c][e] = outDigit(y[e]);
    }
    return t;
  }

  /** Member number {@code index} of F̄ as its digit table [M][dL]. */
  public int[][] member(BigInteger index) {
    int[][] t = new int[cells()][entries()];
    BigInteger v = BigInteger.valueOf(outLevels);
    for (int c = 0; c < t.length; c++) {
      for (int e = 0; e < t[c].length; e++) {
        BigInteger[] qr = index.divideAndRemainder(v);
        t[c][e] = qr[1].intValue();
        index = qr[0];
      }
    }
    return t;
  }

  /** The index of a digit table (inverse of {@link #member}). */
  public BigInteger indexOf(int[][] table) {
    BigInteger index = BigInteger.ZERO;
    BigInteger v = BigInteger.valueOf(outLevels);
    for (int c = table.length - 1; c >= 0; c--) {
      for (int e = table[c].length - 1; e >= 0; e--) index = index.multiply(v).add(BigInteger.valueOf(table[c][e]));
    }
    return index;
  }

  /** P_f̄ [L_p·d] (rows of d): the base-(1/δ_P) digits of {@code index} times δ_P. */
  public double[] promptCode(BigInteger index) {
    double[] p = new double[promptLength() * d];
    BigInteger b = BigInteger.valueOf(promptLevels);
    for (int i = 0; i < p.length; i++) {
      BigInteger[] qr = index.divideAndRemainder(b);
      p[i] = qr[1].intValue() * deltaP();
      index = qr[0];
    }
    return p;
  }
}
