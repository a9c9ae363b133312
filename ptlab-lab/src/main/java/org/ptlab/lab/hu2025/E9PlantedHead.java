package org.ptlab.lab.hu2025;

import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.SpectralNorms;

/**
 * The frozen classifier of E9 part (vi), planted so that the label depends on what the teacher prompt does, not on
 * what the input alone does: with g₀(X) and g*(X) the mean-pooled outputs [d] without and with the teacher prompt,
 * the head reads the direction u that maximizes Var(u·(g* − g₀)) / Var(u·g₀) over the training inputs (a
 * generalized symmetric eigenproblem, solved by whitening with Jacobi rotations: deterministic, d = 8). So a zero
 * prompt predicts near chance, the teacher prompt is exact, and the class-1 logit α·u·g + b has a margin spread
 * set by α and b balancing the classes.
 */
final class E9PlantedHead {
  private E9PlantedHead() {}

  /** Mean-pooled final hidden states [N·d] of x under prompt p [m_p, d] (zeros for none). */
  static double[] pooled(Transformer model, Tensor p, double[][][] x) {
    int d = model.config().dModel();
    int len = x[0].length;
    double[] flat = new double[x.length * len * d];
    for (int b = 0; b < x.length; b++) for (int t = 0; t < len; t++) System.arraycopy(x[b][t], 0, flat, (b * len + t) * d, d);
    ForwardHooks hooks = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return p;
      }
    };
    try (GradMode.Scope g = GradMode.noGrad()) {
      Tensor h = model.encode(ModelInput.ofVectors(Tensor.of(flat, x.length, len, d)), hooks, ForwardMode.EVAL);
      return model.pool(h, null).toDoubleArray(); // [N, d]
    }
  }

  /**
   * Sets {@code classifier}: class 0 reads nothing, class 1 reads α·u·g + b, with u from {@code g0}/{@code gStar}
   * (see the class comment), α so that the teacher's margins have standard deviation {@code spread}, and b so that
   * half of the teacher's margins are positive.
   */
  static void plant(Transformer model, double[] g0, double[] gStar, int n, double spread) {
    int d = model.config().dModel();
    double[] u = direction(covariance(g0, g0, n, d), covariance(diff(gStar, g0), diff(gStar, g0), n, d), d);
    double[] z = new double[n];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i] += u[j] * gStar[i * d + j];
    double mean = 0;
    for (double v : z) mean += v / n;
    double var = 0;
    for (double v : z) var += (v - mean) * (v - mean) / n;
    double alpha = spread / Math.sqrt(var);
    double[] sorted = z.clone();
    java.util.Arrays.sort(sorted);
    Tensor w = model.parameters().get("classifier.weight"); // [2, d]
    Tensor b = model.parameters().get("classifier.bias"); // [2]
    for (int j = 0; j < d; j++) {
      w.setFlat(j, 0);
      w.setFlat(d + j, alpha * u[j]);
    }
    b.setFlat(0, 0);
    b.setFlat(1, -alpha * 0.5 * (sorted[(n - 1) / 2] + sorted[n / 2]));
  }

  /** Rows p_i [m, d] projected onto the null space of layer 1's W_Q [s, d]: p_i − W_Qᵀ(W_Q W_Qᵀ)⁻¹W_Q p_i. */
  static double[] queryNullSpace(Transformer model, double[] p, int m) {
    int d = model.config().dModel();
    double[] w = model.parameters().get("encoder.layer.0.attention.self.query.weight").toDoubleArray();
    int s = w.length / d;
    double[] g = new double[s * s]; // W Wᵀ = E Λ Eᵀ
    for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) for (int k = 0; k < d; k++) g[i * s + j] += w[i * d + k] * w[j * d + k];
    SpectralNorms.SymmetricEigen eig = SpectralNorms.symmetricEigen(g, s);
    double[] e = eig.vectors();
    double[] out = p.clone();
    for (int r = 0; r < m; r++) {
      double[] wp = new double[s];
      for (int i = 0; i < s; i++) for (int k = 0; k < d; k++) wp[i] += w[i * d + k] * p[r * d + k];
      double[] y = new double[s]; // (W Wᵀ)⁻¹ W p = E Λ⁻¹ Eᵀ W p
      for (int j = 0; j < s; j++) {
        double c = 0;
        for (int i = 0; i < s; i++) c += e[i * s + j] * wp[i];
        c /= eig.values()[j];
        for (int i = 0; i < s; i++) y[i] += e[i * s + j] * c;
      }
      for (int k = 0; k < d; k++) for (int i = 0; i < s; i++) out[r * d + k] -= w[i * d + k] * y[i];
    }
    return out;
  }

  private static double[] diff(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  }

  /** The d×d covariance of the rows of a and b [n, d]. */
  static double[] covariance(double[] a, double[] b, int n, int d) {
    double[] ma = new double[d];
    double[] mb = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        ma[j] += a[i * d + j] / n;
        mb[j] += b[i * d + j] / n;
      }
    }
    double[] c = new double[d * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) c[j * d + k] += (a[i * d + j] - ma[j]) * (b[i * d + k] - mb[k]) / n;
      }
    }
    return c;
  }

  /** The unit u maximizing uᵀBu / uᵀAu: A = EΛEᵀ, W = EΛ^{-1/2}, u ∝ W·(top eigenvector of WᵀBW). */
  static double[] direction(double[] a, double[] b, int d) {
    SpectralNorms.SymmetricEigen ea = SpectralNorms.symmetricEigen(a, d);
    double[] e = ea.vectors();
    double[] w = new double[d * d];
    double floor = 1e-12 * Math.max(1e-300, ea.values()[0]);
    for (int j = 0; j < d; j++) {
      double s = 1 / Math.sqrt(Math.max(ea.values()[j], floor));
      for (int i = 0; i < d; i++) w[i * d + j] = e[i * d + j] * s;
    }
    double[] m = new double[d * d]; // Wᵀ B W
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double acc = 0;
        for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) acc += w[k * d + i] * b[k * d + l] * w[l * d + j];
        m[i * d + j] = acc;
      }
    }
    double[] v = SpectralNorms.symmetricEigen(m, d).vectors();
    int top = 0; // eigenvalues come in descending order
    double[] u = new double[d];
    double norm = 0;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) u[i] += w[i * d + k] * v[k * d + top];
      norm += u[i] * u[i];
    }
    for (int i = 0; i < d; i++) u[i] /= Math.sqrt(norm);
    return u;
  }
}
