package org.ptlab.theory.wang2023;

import java.util.Locale;

/**
 * The residual MLP z ↦ z + g(z), g(z) = W2·ReLU(W1·z + β1) + β2, is a bijection of R^d with
 * ‖MLP(z) − MLP(z′)‖ ≥ (1 − ℓ)·‖z − z′‖ whenever ℓ := ‖W2‖₂·‖W1‖₂ < 1 (spec wang2023.md §2.2 assumptions) [D,
 * standard: g is ℓ-Lipschitz because ReLU is 1-Lipschitz; z ↦ y − g(z) is then a contraction, so MLP(z) = y has
 * exactly one solution (Banach), and the reverse triangle inequality gives the lower Lipschitz constant].
 *
 * <p>ℓ is computed from the weights (spectral norms by EJML's SVD), never assumed. When ℓ ≥ 1 the certificate
 * does not apply: ℓ is only an upper bound on Lip(g), so the MLP may still be injective, but nothing here shows it.
 *
 * @param ell ℓ = ‖W2‖₂‖W1‖₂
 * @param normW1 ‖W1‖₂
 * @param normW2 ‖W2‖₂
 * @param applies ℓ < 1
 * @param reason the verdict in one sentence
 */
public record MlpInjectivity(double ell, double normW1, double normW2, boolean applies, String reason) {

  /** ℓ of {@code layer}'s MLP and whether it certifies injectivity. */
  public static MlpInjectivity of(PaperLayer layer) {
    double n1 = LinAlg.spectralNorm(layer.w1());
    double n2 = LinAlg.spectralNorm(layer.w2());
    double ell = n1 * n2;
    boolean ok = ell < 1;
    String reason = ok
        ? String.format(Locale.ROOT, "ℓ = ‖W2‖‖W1‖ = %.6g < 1: the residual MLP is injective with lower "
            + "Lipschitz constant 1 − ℓ = %.6g", ell, 1 - ell)
        : String.format(Locale.ROOT, "ℓ = ‖W2‖‖W1‖ = %.6g ≥ 1: injectivity of the residual MLP is not certified", ell);
    return new MlpInjectivity(ell, n1, n2, ok, reason);
  }

  /** 1 − ℓ, the lower Lipschitz constant of the MLP (meaningful only when {@link #applies()}). */
  public double lowerLipschitz() {
    return 1 - ell;
  }
}
