package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;
import static org.ptlab.lab.wang2023.WangClaims.is;

import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E2's claims, in eval units (MSE over positions·d). */
final class E2Claims {
  private E2Claims() {}

  static List<Claim> claims(Results results, double fit) {
    return List.of(
        Claim.test("prompt-loss-above-eckart-young-bound").source(DERIVED)
            .says("Every prompt of length m_p stays at or above the Eckart–Young loss bound for that m_p [D]: min over "
                + "prompt runs of (least loss seen − bound) ≥ 0.")
            .atLeast(0).measure(() -> results.done().stream().filter(is("method", "prompt"))
                .mapToDouble(r -> r.metric("best_loss") - r.metric("bound_loss")).min()
                .orElseThrow(() -> Claim.noData("no prompt run"))),
        Claim.test("necessary-length-is-n").source(DERIVED)
            .says("With the 2n vectors {c_i, W x_i} independent (d ≥ 2n), exact memorization needs m_p ≥ n: the "
                + "certified necessary length equals n in every run (max |length − n| = 0). A necessary condition, "
                + "not a bound on the loss.")
            .equalTo(0).measure(() -> results.done().stream()
                .mapToDouble(r -> Math.abs(r.metric("necessary_prompt_length") - num(r, "n"))).max()
                .orElseThrow(() -> Claim.noData("no run"))),
        Claim.test("exact-rank-n-update-fits").source(DERIVED)
            .says("The exact update ΔW2 = R·H⁺ (rank n, n(d + r) parameters) fits every dataset: final MSE ≤ " + fit
                + ".")
            .atMost(fit).measure(() -> WangClaims.max(results, is("method", "exact"), "final_loss")),
        Claim.test("parameter-counts-as-computed").source(DERIVED)
            .says("Trainable parameters counted by the tuned model equal m_p·d (prompt) and k(d + r) (LoRA on mlp_out): "
                + "max |counted − formula| over runs is 0.")
            .equalTo(0).measure(() -> results.done().stream()
                .mapToDouble(r -> Math.abs(r.metric("trainable_params") - r.metric("expected_params"))).max()
                .orElseThrow(() -> Claim.noData("no run"))),
        Claim.observation("prompt-at-necessary-length").source(DERIVED)
            .asObservation("shows that m_p ≥ n is not sufficient; not a theorem")
            .says("Least loss of prompt tuning at m_p = n (the necessary length), min over n and seeds: it need not "
                + "reach 0.")
            .atMost(fit).measure(() -> results.done().stream()
                .filter(r -> "prompt".equals(r.config().get("method")) && num(r, "m_p") == num(r, "n"))
                .mapToDouble(r -> r.metric("best_loss")).min().orElseThrow(() -> Claim.noData("no m_p = n run"))),
        Claim.observation("lora-rank-n-trained").source(DERIVED)
            .asObservation("Adam's result after a fixed number of steps, not a theorem")
            .says("Largest final loss of trained LoRA on mlp_out with rank k ≥ n (the exact update shows rank n "
                + "suffices).")
            .atMost(fit).measure(() -> results.done().stream()
                .filter(r -> "lora".equals(r.config().get("method")) && num(r, "rank") >= num(r, "n"))
                .mapToDouble(r -> r.metric("final_loss")).max().orElseThrow(() -> Claim.noData("no LoRA k ≥ n run"))));
  }

  private static double num(RunRecord r, String key) {
    return ((Number) r.config().get(key)).doubleValue();
  }
}
