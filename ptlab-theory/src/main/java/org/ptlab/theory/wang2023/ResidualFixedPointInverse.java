package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * Inverts a residual map y = z + g(z) with Lip(g) ≤ L < 1 by the fixed-point iteration z_{k+1} = y − g(z_k)
 * (Banach; Behrmann et al. 2019, as used by Wang et al. 2023 §6 and spec §3, §4), with the a-priori error bound
 * <pre>
 *   ‖z_k − z*‖ ≤ L^k / (1 − L) · ‖z_1 − z_0‖.
 * </pre>
 * Proof: ‖z_{j+1} − z_j‖ ≤ L^j ‖z_1 − z_0‖ (the map z ↦ y − g(z) is an L-contraction), and
 * ‖z_k − z*‖ ≤ Σ_{j≥k} ‖z_{j+1} − z_j‖ ≤ L^k/(1 − L)·‖z_1 − z_0‖.
 *
 * <p>Assumption: L bounds the Lipschitz constant of g in the given norm on a set that contains every iterate and
 * z*. For the token-wise MLP branch it holds everywhere. For an attention branch the bound of
 * {@link AttentionLipschitzBound} holds only on the token ball of radius D: check {@link Result#maxNorm()} ≤ D (and
 * that z* lies in the ball) before trusting the bound; this class reports, it does not assume.
 *
 * <p>Vectors are flat double arrays; for a sequence [m, d] (tokens as rows) use
 * {@code x -> ObservedGain.infTwo(x, d)} as the norm, the norm the attention bound is stated in.
 *
 * <pre>{@code
 * Result r = ResidualFixedPointInverse.invert(g, y, y, 0.5, 40, ResidualFixedPointInverse::euclidean);
 * r.z();          // ≈ MLP⁻¹(y)
 * r.bound(10);    // ≥ ‖z_10 − z*‖
 * }</pre>
 */
public final class ResidualFixedPointInverse {
  private ResidualFixedPointInverse() {}

  /**
   * The iterates and their bound.
   *
   * @param iterates z_0 … z_K
   * @param lipschitz L
   * @param firstStep ‖z_1 − z_0‖
   * @param maxNorm the largest norm of any iterate (to check the ball assumption)
   */
  public record Result(List<double[]> iterates, double lipschitz, double firstStep, double maxNorm) {
    /** z_K, the last iterate. */
    public double[] z() {
      return iterates.get(iterates.size() - 1);
    }

    /** L^k/(1 − L)·‖z_1 − z_0‖, the bound on ‖z_k − z*‖. */
    public double bound(int k) {
      return ResidualFixedPointInverse.bound(lipschitz, k, firstStep);
    }
  }

  /**
   * K iterations of z ← y − g(z) from z0.
   *
   * @param g the residual branch (not modified arguments: it gets a copy)
   * @param y the residual map's output
   * @param z0 the start (y itself is a common choice)
   * @param lipschitz L, a bound on Lip(g); must be in [0, 1)
   * @param iterations K ≥ 1
   * @param norm the norm L is stated in
   */
  public static Result invert(UnaryOperator<double[]> g, double[] y, double[] z0, double lipschitz, int iterations,
      ToDoubleFunction<double[]> norm) {
    if (!(lipschitz >= 0 && lipschitz < 1)) {
      throw new IllegalArgumentException("fixed-point inverse: needs Lip(g) < 1, got L = " + lipschitz);
    }
    if (iterations < 1) throw new IllegalArgumentException("fixed-point inverse: iterations must be >= 1");
    if (y.length != z0.length) throw new IllegalArgumentException("fixed-point inverse: y and z0 differ in length");
    List<double[]> zs = new ArrayList<>();
    zs.add(z0.clone());
    double maxNorm = norm.applyAsDouble(z0);
    for (int k = 0; k < iterations; k++) {
      double[] gz = g.apply(zs.get(k).clone());
      double[] next = new double[y.length];
      for (int i = 0; i < y.length; i++) next[i] = y[i] - gz[i];
      zs.add(next);
      maxNorm = Math.max(maxNorm, norm.applyAsDouble(next));
    }
    double first = norm.applyAsDouble(difference(zs.get(1), zs.get(0)));
    return new Result(List.copyOf(zs), lipschitz, first, maxNorm);
  }

  /** L^k/(1 − L)·firstStep. */
  public static double bound(double lipschitz, int k, double firstStep) {
    return Math.pow(lipschitz, k) / (1 - lipschitz) * firstStep;
  }

  /** The fewest iterations k with L^k/(1 − L)·firstStep ≤ tol (0 if already). */
  public static int iterationsFor(double lipschitz, double firstStep, double tol) {
    if (!(tol > 0)) throw new IllegalArgumentException("fixed-point inverse: tolerance must be > 0, got " + tol);
    if (firstStep / (1 - lipschitz) <= tol) return 0;
    if (lipschitz == 0) return 1;
    return (int) Math.ceil(Math.log(tol * (1 - lipschitz) / firstStep) / Math.log(lipschitz));
  }

  /** The Euclidean norm. */
  public static double euclidean(double[] x) {
    double s = 0;
    for (double e : x) s += e * e;
    return Math.sqrt(s);
  }

  /** a − b. */
  public static double[] difference(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  }
}
