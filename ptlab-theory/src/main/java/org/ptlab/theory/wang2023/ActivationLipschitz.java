package org.ptlab.theory.wang2023;

import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.ops.Erf;

/**
 * Lipschitz constants of the MLP non-linearities, c_σ = sup_x |σ'(x)|: 1 for ReLU, and for the exact GELU
 * x·Φ(x) about 1.1289 (not 1: GELU overshoots the identity's slope just right of 0).
 *
 * <p>[D] GELU'(x) = Φ(x) + x·φ(x), GELU''(x) = φ(x)(2 − x²), so |GELU'| peaks at x = ±√2:
 * GELU'(√2) = Φ(√2) + √2·φ(√2) ≈ 1.128904 and GELU'(−√2) ≈ −0.128904. The constant used here is computed
 * numerically (a scan of |GELU'| on [−8, 8] refined by golden-section search, with PTLab's own erf, the one the
 * model's GELU uses), and tested against that closed form. For the radius of the token ball the slope is not
 * needed: |σ(y)| ≤ |y| for both ReLU and GELU (Φ ∈ (0, 1)), see {@link RadiusRecursion}.
 */
public final class ActivationLipschitz {
  /** ReLU's Lipschitz constant. */
  public static final double RELU = 1.0;
  private static final double GELU = computeMaxSlope(ActivationLipschitz::geluDerivative);
  /** The tanh approximation's (GPT-2's gelu_new) peak slope, ≈ 1.128993: a little above the exact GELU's. */
  private static final double GELU_TANH = computeMaxSlope(org.ptlab.tensor.ops.GeluTanh::derivative);

  private ActivationLipschitz() {}

  /** max_x |GELU'(x)| ≈ 1.1289, computed once. */
  public static double gelu() {
    return GELU;
  }

  /** c_σ of the model's activation. */
  public static double of(Activation a) {
    return switch (a) {
      case RELU -> RELU;
      case GELU -> GELU;
      case GELU_TANH -> GELU_TANH;
    };
  }

  /** GELU'(x) = Φ(x) + x·φ(x) for the exact (erf) GELU. */
  public static double geluDerivative(double x) {
    double cdf = 0.5 * (1 + Erf.erf(x / Math.sqrt(2)));
    double pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    return cdf + x * pdf;
  }

  private static double computeMaxSlope(java.util.function.DoubleUnaryOperator derivative) {
    double best = 0;
    double arg = 0;
    for (int i = -8000; i <= 8000; i++) { // |GELU'| → 1 or 0 in the tails: the peak is inside [−8, 8]
      double x = i * 1e-3;
      double v = Math.abs(derivative.applyAsDouble(x));
      if (v > best) {
        best = v;
        arg = x;
      }
    }
    // golden-section refinement of the bracket around the grid maximum (|GELU'| is unimodal there)
    double lo = arg - 1e-3;
    double hi = arg + 1e-3;
    double g = (Math.sqrt(5) - 1) / 2;
    for (int it = 0; it < 80; it++) {
      double a = hi - g * (hi - lo);
      double b = lo + g * (hi - lo);
      if (Math.abs(derivative.applyAsDouble(a)) > Math.abs(derivative.applyAsDouble(b))) hi = b; else lo = a;
    }
    // The bracket is down to rounding, so the value there is the supremum up to the derivative's own evaluation
    // error (a few ulps: Erf and StrictMath.tanh are < 1 ulp); the relative margin of 5e-13 (about 2,000 ulps)
    // makes the constant an upper bound rather than a sampled value.
    return Math.max(best, Math.abs(derivative.applyAsDouble(0.5 * (lo + hi)))) * (1 + 5e-13);
  }
}
