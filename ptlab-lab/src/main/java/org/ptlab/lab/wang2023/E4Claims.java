package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;

import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;

/** E4's claims: both bounds are at or above every observed gain; the tight form is at most the spec's. */
final class E4Claims {
  private E4Claims() {}

  static List<Claim> claims(Results results) {
    return List.of(
        Claim.test("spec-bound-above-observed-gain").source(DERIVED)
            .says("The spec's Lipschitz bound Π(1 + Σ_h‖V_h‖(1 + 4D_ℓ²‖A_h‖))(1 + ‖W2‖‖W1‖) is at or above the largest "
                + "gain found in ‖·‖_{∞,2} at every D, m and model: min over runs of bound/observed ≥ 1.")
            .atLeast(1).measure(() -> WangClaims.min(results, r -> true, "ratio_spec")),
        Claim.test("tight-bound-above-observed-gain").source(DERIVED)
            .says("The tighter [D] bound is also at or above every observed gain: min over runs of bound/observed ≥ 1.")
            .atLeast(1).measure(() -> WangClaims.min(results, r -> true, "ratio_tight")),
        Claim.test("tight-bound-at-most-spec").source(DERIVED)
            .says("The tighter form is never larger than the spec's: max over runs of tight/spec ≤ 1.")
            .atMost(1).within(1e-12).measure(() -> maxTightOverSpec(results)),
        Claim.observation("spec-bound-looseness").source(DERIVED).asObservation("a size of the gap, not a check")
            .says("How loose the spec's bound is: the largest ratio bound/observed over the grid (it grows with D).")
            .atLeast(1).measure(() -> WangClaims.max(results, r -> true, "ratio_spec")));
  }

  private static double maxTightOverSpec(Results results) {
    return results.done().stream().mapToDouble(r -> r.metric("bound_tight") / r.metric("bound_spec")).max()
        .orElseThrow(() -> Claim.noData("no completed run"));
  }
}
