package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;
import static org.ptlab.lab.wang2023.WangClaims.is;

import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;

/** E1's claims, computed from the stored runs; every loss in eval units (MSE over positions·d). */
final class E1Claims {
  private E1Claims() {}

  static List<Claim> claims(Results results, double fit) {
    double bound = WangClaims.bound(results, r -> true, "bound_loss");
    double closed = WangClaims.bound(results, r -> true, "closed_form_loss");
    return List.of(
        Claim.test("prompt-tuning-above-certified-bound").source(DERIVED)
            .says("No prompt of any length memorizes the shared-token dataset (Wang et al.'s L1, certified by "
                + "SharedTokenLossBound): the least loss seen in any prompt-tuning run (every m_p, init, lr, step) "
                + "is at or above the certified bound, same eval units.")
            .atLeast(bound).measure(() -> WangClaims.min(results, is("method", "prompt"), "best_loss")),
        Claim.test("certificate-at-least-closed-form").source(DERIVED)
            .says("The exact-infimum certificate is at least the spec's closed form (1 − ℓ)²α²‖b1 − b2‖² (both in "
                + "eval units; the certificate also uses the softmax coupling).")
            .atLeast(closed).within(1e-12).measure(() -> WangClaims.min(results, r -> true, "bound_loss")),
        Claim.test("exact-update-fits").source(DERIVED)
            .says("The closed-form rank-2 update ΔW2 = R·H⁺, loaded as a LoRA on mlp_out, fits the dataset: final "
                + "MSE ≤ " + fit + ".")
            .atMost(fit).measure(() -> WangClaims.max(results, is("method", "exact"), "final_loss")),
        Claim.test("lora-rank2-mlp-out-fits").source(DERIVED)
            .says("A rank-2 LoRA on mlp_out trained with Adam fits the dataset: final MSE ≤ " + fit + " (max over runs).")
            .atMost(fit).measure(() -> WangClaims.max(results, is("method", "lora"), "final_loss")),
        Claim.test("full-fine-tuning-fits").source(DERIVED)
            .says("Full fine-tuning with Adam (lr 0.001, the paper's) fits the dataset: final MSE ≤ " + fit
                + " (max over runs).")
            .atMost(fit).measure(() -> WangClaims.max(results, is("method", "full"), "final_loss")));
  }
}
