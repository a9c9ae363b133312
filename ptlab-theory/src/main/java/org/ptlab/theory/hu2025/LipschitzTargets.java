package org.ptlab.theory.hu2025;

import java.util.function.UnaryOperator;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.SpectralNorms;

/**
 * Random C-Lipschitz target functions for the universality checks (U2, E6): f(x) = ½ + ½·tanh(A·x + b) with
 * ‖A‖₂ = 2C, so f is C-Lipschitz in ℓ2 (tanh is 1-Lipschitz, times ½) and maps [0,1)^k into (0, 1), the
 * construction's output range. ‖A‖₂ is computed by SVD ({@link SpectralNorms}), not by power iteration: an
 * iteration under-estimates ‖A‖₂, which would make f slightly more than C-Lipschitz and the bound it is checked
 * against slightly optimistic.
 */
public final class LipschitzTargets {
  private LipschitzTargets() {}

  /** A fresh random C-Lipschitz map R^k → (0, 1)^k drawn from {@code rng} (A and b Gaussian, then A rescaled). */
  public static UnaryOperator<double[]> tanh(Rng rng, int k, double c) {
    double[][] a = new double[k][k];
    double[] b = new double[k];
    for (double[] row : a) for (int j = 0; j < k; j++) row[j] = rng.nextGaussian();
    for (int i = 0; i < k; i++) b[i] = rng.nextGaussian() * 0.5;
    double scale = 2 * c / SpectralNorms.of(a);
    for (double[] row : a) for (int j = 0; j < k; j++) row[j] *= scale;
    return x -> {
      double[] y = new double[k];
      for (int i = 0; i < k; i++) {
        double s = b[i];
        for (int j = 0; j < k; j++) s += a[i][j] * x[j];
        y[i] = 0.5 + 0.5 * Math.tanh(s);
      }
      return y;
    };
  }
}
