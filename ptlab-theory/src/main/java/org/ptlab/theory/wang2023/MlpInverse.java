package org.ptlab.theory.wang2023;

/**
 * MLP⁻¹(y) by the fixed-point iteration z ← y − g(z) (spec wang2023.md §3), which converges for every y when
 * ℓ = ‖W2‖₂‖W1‖₂ < 1 ({@link MlpInjectivity}) [D, Banach]. Two error bounds for the iterate z_k, both rigorous in
 * exact arithmetic:
 * <ul>
 *   <li>a priori: ‖z_k − z*‖ ≤ ℓ^k/(1 − ℓ)·‖z_1 − z_0‖ (contraction with constant ℓ);
 *   <li>a posteriori: ‖z_k − z*‖ ≤ ‖MLP(z_k) − y‖/(1 − ℓ) (lower Lipschitz constant 1 − ℓ of the MLP).
 * </ul>
 * {@link Result#errorBound()} is the smaller; certificates shrink their value by it, so the inversion never makes a
 * bound unsound. The iteration starts at z_0 = y.
 *
 * <pre>{@code
 * MlpInverse.Result inv = MlpInverse.solve(layer, ell, y, 1e-15, 10_000);
 * inv.z();           // z with MLP(z) ≈ y
 * inv.errorBound();  // ≥ ‖z − MLP⁻¹(y)‖
 * }</pre>
 */
public final class MlpInverse {
  private MlpInverse() {}

  /**
   * @param z the last iterate
   * @param iterations k
   * @param aPriori ℓ^k/(1 − ℓ)·‖z_1 − z_0‖
   * @param aPosteriori ‖MLP(z) − y‖/(1 − ℓ)
   */
  public record Result(double[] z, int iterations, double aPriori, double aPosteriori) {
    /** min(a priori, a posteriori) ≥ ‖z − MLP⁻¹(y)‖. */
    public double errorBound() {
      return Math.min(aPriori, aPosteriori);
    }
  }

  /**
   * Iterates until the a priori bound is ≤ {@code tol}·(1 + ‖y‖) or {@code maxIter} steps; {@code ell} must be
   * {@link MlpInjectivity#ell()} of the same layer and < 1.
   */
  public static Result solve(PaperLayer layer, double ell, double[] y, double tol, int maxIter) {
    if (!(ell < 1)) throw new IllegalArgumentException("MLP inverse: ℓ = " + ell + " ≥ 1, the iteration need not converge");
    double[] z = y.clone(); // z_0
    double[] next = LinAlg.sub(y, layer.g(z)); // z_1
    double step1 = Math.sqrt(LinAlg.dist2(next, z));
    z = next;
    int k = 1;
    double target = tol * (1 + LinAlg.norm(y));
    while (Math.pow(ell, k) / (1 - ell) * step1 > target && k < maxIter) {
      double[] n = LinAlg.sub(y, layer.g(z));
      boolean fixed = java.util.Arrays.equals(n, z); // float64 fixed point reached: further steps change nothing
      z = n;
      k++;
      if (fixed) break;
    }
    double aPriori = Math.pow(ell, k) / (1 - ell) * step1;
    double aPosteriori = Math.sqrt(LinAlg.dist2(layer.mlp(z), y)) / (1 - ell);
    return new Result(z, k, aPriori, aPosteriori);
  }
}
