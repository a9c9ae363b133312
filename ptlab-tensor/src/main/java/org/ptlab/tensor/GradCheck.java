package org.ptlab.tensor;

import java.util.function.Function;
import org.ptlab.tensor.random.Rng;

/**
 * Checks an op's backward against central finite differences, in float64.
 *
 * <p>The function's output (any shape) is reduced to a scalar L = Σ w⊙f(x) with fixed N(0,1) weights w, so every
 * output element matters. For each input, the analytic dL/dx from backward is compared with
 * (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h; the result is the norm-wise relative error ‖a − n‖ / max(‖a‖, ‖n‖).
 *
 * <pre>{@code
 * double err = GradCheck.relativeError(in -> in[0].matmul(in[1]), a, b);   // want <= 1e-6
 * }</pre>
 */
public final class GradCheck {
  private GradCheck() {}

  /** Default step: small enough for O(h²) truncation, large enough for float64 round-off. */
  public static final double STEP = 1e-5;

  /** The worst relative error over all inputs that require grad. Inputs must be F64. */
  public static double relativeError(Function<Tensor[], Tensor> f, Tensor... inputs) {
    return relativeError(f, STEP, inputs);
  }

  public static double relativeError(Function<Tensor[], Tensor> f, double h, Tensor... inputs) {
    for (Tensor t : inputs) {
      if (t.dtype() != DType.F64) throw new IllegalArgumentException("GradCheck needs float64 inputs, got " + t.dtype());
      t.zeroGrad();
    }
    Tensor probe = f.apply(inputs);
    // Zero-mean weights: ops whose outputs are shift-invariant (softmax, layer norm) get O(1) gradients, so the
    // finite differences' round-off stays far below the 1e-6 relative tolerance.
    Tensor w = Tensor.randn(new Rng(12345), DType.F64, 1.0, probe.shape());
    Tensor loss = probe.mul(w).sum();
    loss.backward();
    double worst = 0;
    for (Tensor x : inputs) {
      if (!x.requiresGrad()) continue;
      Tensor analytic = x.grad() == null ? Tensor.zeros(DType.F64, x.shape()) : x.grad();
      double diff = 0;
      double na = 0;
      double nn = 0;
      try (GradMode.Scope s = GradMode.noGrad()) {
        for (int i = 0; i < x.numel(); i++) {
          double orig = x.getFlat(i);
          x.setFlat(i, orig + h);
          double up = f.apply(inputs).mul(w).sum().item();
          x.setFlat(i, orig - h);
          double down = f.apply(inputs).mul(w).sum().item();
          x.setFlat(i, orig);
          double numeric = (up - down) / (2 * h);
          double a = analytic.getFlat(i);
          diff += (a - numeric) * (a - numeric);
          na += a * a;
          nn += numeric * numeric;
        }
      }
      double scale = Math.max(Math.sqrt(Math.max(na, nn)), 1e-12);
      worst = Math.max(worst, Math.sqrt(diff) / scale);
    }
    return worst;
  }
}
