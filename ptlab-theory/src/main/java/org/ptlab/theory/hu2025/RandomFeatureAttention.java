package org.ptlab.theory.hu2025;

import org.ptlab.tensor.kernel.Parallel;
import org.ptlab.tensor.random.Rng;

/**
 * The random-feature baseline: Performer's FAVOR+ with positive orthogonal random features (Choromanski et al.,
 * ICLR 2021), at a chosen number of features m, to compare with the polynomial method at equal rank (m = r).
 *
 * <p>φ(x) = exp(ω_l·x − ‖x‖²/2)/√m for l = 1..m gives E[φ(x)·φ(y)] = e^{x·y} when each ω_l ~ N(0, I_s); the ω_l
 * come in blocks of s orthogonal directions (Gram–Schmidt of a Gaussian matrix) with χ_s-distributed lengths,
 * which keeps that marginal and lowers the variance. With x = √|scale|·q and y = ±√|scale|·k the kernel is
 * e^{scale·q·k}. The estimate is unbiased but has no worst-case certificate: its error decays like 1/√m, against
 * the polynomial method's super-exponential decay in g. Stabilised in float64 by a per-query shift and one global
 * key shift, both of which cancel in the normalisation. Rows are tokens; row-major float64.
 */
public final class RandomFeatureAttention {
  private RandomFeatureAttention() {}

  /** The m×s feature directions ω, drawn from {@code rng}: [m, s] row-major. */
  public static double[] directions(int m, int s, Rng rng) {
    double[] w = new double[m * s];
    for (int b0 = 0; b0 < m; b0 += s) {
      double[] g = new double[s * s];
      for (int i = 0; i < g.length; i++) g[i] = rng.nextGaussian();
      for (int i = 0; i < s; i++) { // Gram–Schmidt on the rows of g
        for (int j = 0; j < i; j++) {
          double d = 0;
          for (int c = 0; c < s; c++) d += g[i * s + c] * g[j * s + c];
          for (int c = 0; c < s; c++) g[i * s + c] -= d * g[j * s + c];
        }
        double nrm = 0;
        for (int c = 0; c < s; c++) nrm += g[i * s + c] * g[i * s + c];
        nrm = Math.sqrt(nrm);
        for (int c = 0; c < s; c++) g[i * s + c] /= nrm;
      }
      for (int i = 0; i < s && b0 + i < m; i++) {
        double len = 0; // χ_s: the length of an independent N(0, I_s) vector
        for (int c = 0; c < s; c++) {
          double z = rng.nextGaussian();
          len += z * z;
        }
        len = Math.sqrt(len);
        for (int c = 0; c < s; c++) w[(b0 + i) * s + c] = len * g[i * s + c];
      }
    }
    return w;
  }

  /** FAVOR+ attention of q [nq, s] over k [nk, s], v [nk, dv] with m features from {@code rng}: [nq, dv]. */
  public static double[] attend(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double scale,
      int m, Rng rng) {
    double[] w = directions(m, s, rng);
    double root = Math.sqrt(Math.abs(scale));
    double keySign = scale < 0 ? -1 : 1;
    double[] fk = logFeatures(k, nk, s, w, m, root * keySign); // [nk, m]
    double shift = Double.NEGATIVE_INFINITY;
    for (double x : fk) shift = Math.max(shift, x);
    int cy = dv + 1;
    double[] mat = new double[m * cy]; // Φ_kᵀ[V | 1]  [m, dv+1]
    for (int j = 0; j < nk; j++) {
      for (int l = 0; l < m; l++) {
        double f = Math.exp(fk[j * m + l] - shift);
        for (int c = 0; c < dv; c++) mat[l * cy + c] += f * v[j * dv + c];
        mat[l * cy + dv] += f;
      }
    }
    double[] out = new double[nq * dv];
    int tasks = (nq + 255) / 256;
    Parallel.defaults().forEach(tasks, t -> {
      double[] row = new double[cy];
      for (int i = t * 256; i < Math.min(nq, t * 256 + 256); i++) {
        double[] fq = logFeatures(q, i, i + 1, s, w, m, root);
        double mx = Double.NEGATIVE_INFINITY;
        for (double x : fq) mx = Math.max(mx, x);
        java.util.Arrays.fill(row, 0);
        for (int l = 0; l < m; l++) {
          double f = Math.exp(fq[l] - mx);
          for (int c = 0; c < cy; c++) row[c] += f * mat[l * cy + c];
        }
        for (int c = 0; c < dv; c++) out[i * dv + c] = row[c] / row[dv];
      }
    });
    return out;
  }

  /** log φ(x_i)·√m = ω·(a·x_i) − a²‖x_i‖²/2 for all rows: [n, m]. */
  private static double[] logFeatures(double[] x, int n, int s, double[] w, int m, double a) {
    return logFeatures(x, 0, n, s, w, m, a);
  }

  private static double[] logFeatures(double[] x, int from, int to, int s, double[] w, int m, double a) {
    double[] out = new double[(to - from) * m];
    for (int i = from; i < to; i++) {
      double sq = 0;
      for (int c = 0; c < s; c++) sq += x[i * s + c] * x[i * s + c];
      for (int l = 0; l < m; l++) {
        double d = 0;
        for (int c = 0; c < s; c++) d += w[l * s + c] * x[i * s + c];
        out[(i - from) * m + l] = a * d - a * a * sq / 2;
      }
    }
    return out;
  }
}
