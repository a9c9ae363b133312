package org.ptlab.lab.hu2025;

import java.util.function.UnaryOperator;
import org.ptlab.tensor.random.Rng;

/**
 * Random C-Lipschitz targets for the universality experiments: f(x) = ½ + ½·tanh(A·x + b) with ‖A‖₂ = 2C, so f is
 * C-Lipschitz in ℓ2 (tanh is 1-Lipschitz, times ½) and maps [0,1)^k into (0, 1), the construction's output range.
 */
final class E6Targets {
  private E6Targets() {}

  static UnaryOperator<double[]> tanh(Rng rng, int k, double c) {
    double[] a = new double[k * k];
    double[] b = new double[k];
    for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
    for (int i = 0; i < k; i++) b[i] = rng.nextGaussian() * 0.5;
    double scale = 2 * c / spectralNorm(a, k);
    for (int i = 0; i < a.length; i++) a[i] *= scale;
    return x -> {
      double[] y = new double[k];
      for (int i = 0; i < k; i++) {
        double s = b[i];
        for (int j = 0; j < k; j++) s += a[i * k + j] * x[j];
        y[i] = 0.5 + 0.5 * Math.tanh(s);
      }
      return y;
    };
  }

  /** ‖A‖₂ by power iteration on AᵀA (k ≤ a few dozen here). */
  static double spectralNorm(double[] a, int k) {
    double[] v = new double[k];
    java.util.Arrays.fill(v, 1);
    double norm = 0;
    for (int it = 0; it < 200; it++) {
      double[] w = new double[k];
      for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) w[i] += a[i * k + j] * v[j];
      double[] z = new double[k];
      for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) z[j] += a[i * k + j] * w[i];
      double zn = 0;
      for (double t : z) zn += t * t;
      zn = Math.sqrt(zn);
      for (int i = 0; i < k; i++) v[i] = z[i] / zn;
      norm = Math.sqrt(zn);
    }
    return norm;
  }
}
