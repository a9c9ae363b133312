package org.ptlab.theory.hu2025;

import java.util.Arrays;

/**
 * FF_2 of the universality construction (spec hu2025.md §2.2 Step D.3) [D]: one ReLU layer that maps each context id
 * t = u·h to its target y ∈ R^d by piecewise-linear interpolation over the sorted distinct ids t_(1) < … < t_(N):
 * <pre>
 *   y(t) = y_(1) + Σ_{i=1}^{N−1} c_i·ReLU(t − t_(i)),  c_1 = s_1,  c_i = s_i − s_{i−1},  s_i = (y_(i+1) − y_(i))/(t_(i+1) − t_(i)),
 * </pre>
 * one hidden unit per id gap, shared by all d output coordinates (they all read the same scalar id; only W_2's
 * rows differ), so the interpolation needs N − 1 units in all, not per coordinate. Two more kinds of unit:
 * <ul>
 *   <li>one unit c_N·ReLU(t − t_(N)) with c_N = −s_{N−1} that makes y(t) constant beyond the largest id, so the
 *       output always stays in the convex hull of the targets (off the grid, e.g. on the quantizer's ramps, the
 *       error is then bounded by the target range);
 *   <li>2d units −ReLU(h_c) + ReLU(−h_c) = −h_c: the block adds its input back (FF(h) = h + g(h), spec §0.1), so
 *       g must be y(t) − h.
 * </ul>
 * Hidden width N + 2d. The slopes |s_i| ≈ Δy/gap are the numerical price: an error e in the id moves the output by
 * up to max|s|·e (check U4).
 */
public final class InterpolationLookup {
  /** The weights and what they cost. */
  public record Lookup(FeedForwardWeights weights, int distinctIds, double minGap, double maxSlope) {
    /** Interpolation units: N − 1. */
    public int interpolationWidth() {
      return distinctIds - 1;
    }
  }

  private InterpolationLookup() {}

  /**
   * The lookup for ids {@code ids[i]} with targets {@code targets[i]} (length d), id functional u. Equal ids must
   * have equal targets (else: one-line error naming both).
   */
  public static Lookup build(double[] ids, double[][] targets, double[] u) {
    int d = u.length;
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(ids[a], ids[b]));
    double[] t = new double[ids.length];
    double[][] y = new double[ids.length][];
    int n = 0;
    for (int i : order) {
      if (n > 0 && ids[i] == t[n - 1]) {
        if (!Arrays.equals(targets[i], y[n - 1])) {
          throw new IllegalArgumentException("lookup: two tokens share the context id " + ids[i] + " but need outputs "
              + Arrays.toString(y[n - 1]) + " and " + Arrays.toString(targets[i]));
        }
        continue;
      }
      t[n] = ids[i];
      y[n++] = targets[i];
    }
    return weights(Arrays.copyOf(t, n), Arrays.copyOf(y, n), u);
  }

  private static Lookup weights(double[] t, double[][] y, double[] u) {
    int n = t.length;
    int d = u.length;
    FeedForwardWeights w = FeedForwardWeights.zeros(d, n + 2 * d);
    double[] prevSlope = new double[d];
    double minGap = Double.POSITIVE_INFINITY;
    double maxSlope = 0;
    for (int i = 0; i < n; i++) { // unit i: ReLU(u·h − t_(i)); for i = n−1 it flattens the tail
      System.arraycopy(u, 0, w.w1(), i * d, d);
      w.b1()[i] = -t[i];
      if (i + 1 < n) minGap = Math.min(minGap, t[i + 1] - t[i]);
      for (int c = 0; c < d; c++) {
        double s = i + 1 < n ? (y[i + 1][c] - y[i][c]) / (t[i + 1] - t[i]) : 0;
        maxSlope = Math.max(maxSlope, Math.abs(s));
        w.w2()[c * w.hidden() + i] = s - prevSlope[c];
        prevSlope[c] = s;
      }
    }
    for (int c = 0; c < d; c++) { // −ReLU(h_c) + ReLU(−h_c) = −h_c
      int h = n + 2 * c;
      w.w1()[h * d + c] = 1;
      w.w2()[c * w.hidden() + h] = -1;
      w.w1()[(h + 1) * d + c] = -1;
      w.w2()[c * w.hidden() + h + 1] = 1;
    }
    System.arraycopy(y[0], 0, w.b2(), 0, d);
    return new Lookup(w, n, n > 1 ? minGap : Double.POSITIVE_INFINITY, maxSlope);
  }
}
