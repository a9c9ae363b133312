package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;

/** E1's claims, computed from the stored runs; every loss in eval units (MSE over positions·d). */
final class E1Claims {
  private E1Claims() {}

  static List<ClaimResult> claims(Results results, double fit) {
    List<ClaimResult> out = new ArrayList<>();
    out.add(WangClaims.minVsBound(results, WangClaims.is("method", "prompt"), "best_loss", "bound_loss",
        "prompt-tuning-above-certified-bound",
        "Theorem (L1) [D]: no prompt of any length memorizes the shared-token dataset; the least loss seen in any "
            + "prompt-tuning run (every m_p, init, lr, step) is at or above the certified bound "
            + "(SharedTokenLossBound, same eval units).", ">=", 0));
    out.add(WangClaims.minVsBound(results, r -> true, "bound_loss", "closed_form_loss",
        "certificate-at-least-closed-form",
        "Sanity [D]: the exact-infimum certificate is at least the spec's closed form (1 − ℓ)²α²‖b1 − b2‖² "
            + "(both in eval units).", ">=", 1e-12));
    out.add(WangClaims.maxVsConstant(results, WangClaims.is("method", "exact"), "final_loss",
        "exact-update-fits",
        "The closed-form rank-2 update ΔW2 = R·H⁺, loaded as a LoRA on mlp_out, fits the dataset: final MSE ≤ "
            + fit + ".", "<=", fit, 0));
    out.add(WangClaims.maxVsConstant(results, WangClaims.is("method", "lora"), "final_loss",
        "lora-rank2-mlp-out-fits",
        "A rank-2 LoRA on mlp_out trained with Adam fits the dataset: final MSE ≤ " + fit + ".", "<=", fit, 0));
    out.add(WangClaims.maxVsConstant(results, WangClaims.is("method", "full"), "final_loss",
        "full-fine-tuning-fits",
        "Full fine-tuning with Adam (lr 0.001, the paper's) fits the dataset: final MSE ≤ " + fit + ".", "<=", fit,
        0));
    return out;
  }
}
