package org.ptlab.theory.hu2025;

import java.util.Arrays;
import org.ptlab.tensor.random.Rng;

/**
 * The contextual mapping of the universality construction (spec hu2025.md §2.2 Step D.2) [R for Kajitsuka & Sato's
 * rank-1 form; D for the search]: one head of size 1 with scores β·a_k·a_j, value a_j and output written into
 * coordinate 0, where a_j = u·z_j. Token k of a sequence leaves the block as z_k + e_0·boltz_k, and its context id
 * is
 * <pre>
 *   t_k = u·(z_k + e_0·boltz_k) = a_k + Σ_j a_j·softmax_j(β·a_k·a)     (u_0 = 1).
 * </pre>
 * Hu et al. extend the contextual mapping to any-rank W_K, W_Q; that statement was not recovered (spec §2.1), so
 * this is the rank-1 case only. The u's are base-(K+1) digit weights (K grid levels per coordinate), which make
 * a injective on quantized tokens; the search tries those (and, for d > 1, seeded jitters of them) against a log grid
 * of β scaled by 1/max a², and keeps the pair with the largest relative minimum gap between the ids of all
 * (sequence, output position) pairs. Tokens are rows; sequences are {@code double[n·d]}.
 */
public final class BoltzmannContextualMapping {
  /** The chosen map and how well it separates. */
  public record Choice(double[] u, double beta, double minGap, double relativeGap) {}

  private BoltzmannContextualMapping() {}

  /**
   * Searches (u, β) for sequences {@code seqs} of n tokens of width d, ids read at positions {@code from}…n−1;
   * {@code levels} = grid values per coordinate (K). Throws if no candidate separates every id.
   */
  public static Choice search(double[][] seqs, int n, int d, int from, int levels, long seed) {
    Rng rng = new Rng(seed);
    Choice best = null;
    int uTries = d == 1 ? 1 : 4;
    for (int tries = 0; tries < uTries; tries++) {
      double[] u = digits(d, levels, tries == 0 ? null : rng);
      double amax = 0;
      for (double[] s : seqs) for (int j = 0; j < n; j++) amax = Math.max(amax, Math.abs(dot(u, s, j * d)));
      for (int x = -24; x <= 16; x++) {
        double beta = Math.pow(10, x / 8.0) / Math.max(1e-300, amax * amax);
        double[] ids = ids(seqs, n, d, from, u, beta);
        double gap = minGap(ids);
        double rel = gap / maxAbs(ids);
        if (best == null || rel > best.relativeGap()) best = new Choice(u, beta, gap, rel);
      }
    }
    if (!(best.minGap() > 0)) {
      throw new IllegalArgumentException("contextual mapping: no (u, β) tried separates every id (" + seqs.length
          + " sequences, " + (n - from) + " positions)");
    }
    return best;
  }

  /** u_c = (K+1)^{−c}, times 1 + r/(2K) with r ∈ [0, 1) when jittered (still injective on the grid). */
  static double[] digits(int d, int levels, Rng jitter) {
    double[] u = new double[d];
    for (int c = 0; c < d; c++) {
      double r = jitter == null || c == 0 ? 0 : jitter.nextDouble() / (2.0 * levels);
      u[c] = Math.pow(levels + 1, -c) * (1 + r);
    }
    return u;
  }

  /** t for every sequence and position from…n−1, sequence-major. */
  public static double[] ids(double[][] seqs, int n, int d, int from, double[] u, double beta) {
    int per = n - from;
    double[] out = new double[seqs.length * per];
    double[] a = new double[n];
    for (int s = 0; s < seqs.length; s++) {
      for (int j = 0; j < n; j++) a[j] = dot(u, seqs[s], j * d);
      for (int k = from; k < n; k++) out[s * per + k - from] = a[k] + boltzmann(a, beta * a[k]);
    }
    return out;
  }

  /** Σ_j a_j e^{γ a_j} / Σ_j e^{γ a_j}, shifted by the largest exponent. */
  static double boltzmann(double[] a, double gamma) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : a) m = Math.max(m, gamma * v);
    double num = 0;
    double den = 0;
    for (double v : a) {
      double e = Math.exp(gamma * v - m);
      num += v * e;
      den += e;
    }
    return num / den;
  }

  /** The smallest gap between sorted values (0 if two coincide). */
  public static double minGap(double[] ids) {
    double[] s = ids.clone();
    Arrays.sort(s);
    double g = Double.POSITIVE_INFINITY;
    for (int i = 1; i < s.length; i++) g = Math.min(g, s[i] - s[i - 1]);
    return g;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) m = Math.max(m, Math.abs(x));
    return m;
  }

  private static double dot(double[] u, double[] seq, int at) {
    double s = 0;
    for (int c = 0; c < u.length; c++) s += u[c] * seq[at + c];
    return s;
  }
}
