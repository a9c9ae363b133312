package org.ptlab.theory.hu2025;

import java.util.Arrays;

/**
 * Check U5 (spec hu2025.md §3, §7 D): the token-separation precondition of Definition 2.5, in the Kajitsuka & Sato
 * form [R]: every token has r_min ≤ ‖z‖ ≤ r_max, and any two tokens of the dataset (any sequences, any positions)
 * are identical or more than ε apart. The contextual mapping's ids are only guaranteed distinct for such data, so a
 * construction rejects anything else up front with a one-line message naming the offending tokens.
 *
 * <p>Sequences are row-major [n, d] token rows ({@code double[n·d]}). Distinct tokens are compared pairwise after
 * sorting by their first coordinate (pairs further apart than ε in it are skipped), so the check is fast on grids.
 */
public final class TokenSeparation {
  private TokenSeparation() {}

  /** Throws IllegalArgumentException, one line, if the tokens of {@code seqs} are not (r_min, r_max, ε)-separated. */
  public static void require(double[][] seqs, int d, double rMin, double rMax, double eps) {
    int total = 0;
    for (double[] s : seqs) total += s.length / d;
    double[][] tokens = new double[total][];
    int[][] where = new int[total][];
    int t = 0;
    for (int i = 0; i < seqs.length; i++) {
      for (int j = 0; j < seqs[i].length / d; j++, t++) {
        tokens[t] = Arrays.copyOfRange(seqs[i], j * d, (j + 1) * d);
        where[t] = new int[] {i, j};
        double norm = norm(tokens[t]);
        if (!(norm >= rMin && norm <= rMax)) {
          throw new IllegalArgumentException("dataset: token " + j + " of sequence " + i + " has norm " + norm
              + ", token separation (Definition 2.5) needs it in [" + rMin + ", " + rMax + "]");
        }
      }
    }
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Arrays.compare(tokens[a], tokens[b]));
    for (int a = 0; a < total; a++) {
      for (int b = a + 1; b < total && tokens[order[b]][0] - tokens[order[a]][0] <= eps; b++) {
        double dist = distance(tokens[order[a]], tokens[order[b]]);
        if (dist > 0 && dist <= eps) {
          int[] x = where[order[a]];
          int[] y = where[order[b]];
          throw new IllegalArgumentException("dataset: token " + x[1] + " of sequence " + x[0] + " and token " + y[1]
              + " of sequence " + y[0] + " are " + dist + " apart; token separation (Definition 2.5) needs 0 or > "
              + eps);
        }
      }
    }
  }

  private static double norm(double[] z) {
    double s = 0;
    for (double v : z) s += v * v;
    return Math.sqrt(s);
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return Math.sqrt(s);
  }
}
