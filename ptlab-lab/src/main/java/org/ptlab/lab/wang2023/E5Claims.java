package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;
import static org.ptlab.lab.wang2023.WangClaims.is;

import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;

/** E5's claims: the theorem's contrapositive as a test; how the norm moves, as observations. */
final class E5Claims {
  private E5Claims() {}

  static List<Claim> claims(Results results) {
    double d0 = WangClaims.bound(results, is("part", "contractive"), "certified_radius");
    double floor = WangClaims.bound(results, is("part", "contractive"), "floor_sse");
    return List.of(
        Claim.test("no-prompt-inside-radius-below-floor").source(DERIVED)
            .says("Invertibility theorem (contractive blocks, causal attention): no prompt with every row inside the "
                + "certified radius D0 brings the non-injective dataset's summed squared error below (κ‖X1 − X2‖)²/2; "
                + "steps (over all runs) where the prompt is inside the ball and the loss below that floor: 0.")
            .atMost(0).measure(() -> WangClaims.max(results, is("part", "contractive"), "steps_inside_ball_below_floor")),
        Claim.observation("prompt-leaves-certified-radius").source(DERIVED)
            .asObservation("the theorem forbids low loss inside the ball; it does not force the norm to grow when the "
                + "loss stays above the (tiny) floor")
            .says("Largest prompt row norm at the end of training (max over runs), against the certified radius D0.")
            .atLeast(d0).measure(() -> WangClaims.max(results, is("part", "contractive"), "final_row_norm")),
        Claim.observation("contractive-loss-vs-floor").source(DERIVED)
            .asObservation("whether training got below the floor at all (only then does the test above bite)")
            .says("Least summed squared error reached on the non-injective dataset (min over runs), against the floor.")
            .atLeast(floor).measure(() -> WangClaims.min(results, is("part", "contractive"), "best_sse")),
        Claim.observation("minilm-memorizes-random-labels").source(DERIVED)
            .asObservation("one seed, few steps in the quick grid; training accuracy, not held-out")
            .says("MiniLM prompt tuning on real sentences with random labels: training accuracy after training (max "
                + "over runs; chance is 0.5).")
            .atLeast(0.5).measure(() -> WangClaims.max(results, is("part", "minilm"), "final_train_accuracy")),
        Claim.observation("minilm-prompt-norm-growth").source(DERIVED)
            .asObservation("one seed; Adam moves every coordinate, so growth is expected whatever the theory")
            .says("The MiniLM prompt's spectral norm after training / before (max over runs).")
            .atLeast(1).measure(() -> WangClaims.max(results, is("part", "minilm"), "norm_growth")));
  }
}
