package org.ptlab.lab.wang2023;

import static org.ptlab.lab.Claim.Source.DERIVED;
import static org.ptlab.lab.Claim.Source.RECALLED;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E10's claims. Two are exact (parameter counts follow from the shapes). The accuracy comparisons are what Wang et
 * al.'s results lead one to expect for a fixed pretrained model ([R]: an expectation, not a theorem about this
 * model). One seed moves a method's test accuracy by about ±3 points, as much as the gaps themselves, so a
 * comparison is a test only where every compared config has at least {@value #MIN_SEEDS} seeds (the full grid, or
 * {@code --repeats 3}); it then has to clear twice the standard error of the difference of the seed means. With
 * fewer seeds it is an observation. The prompt's norm is always an observation (see {@link #normGrows}).
 */
final class E10Claims {
  /** MiniLM's width, layers, and the 2-class head on the pooled output (384·2 weights + 2 biases). */
  private static final int D = 384;
  private static final int LAYERS = 6;
  private static final int HEAD = D * 2 + 2;
  /** Seeds per compared config below which an accuracy comparison is only an observation. */
  static final int MIN_SEEDS = 3;
  /** The margin, in standard errors of the difference of two seed means, that a gap must clear. */
  static final double STANDARD_ERRORS = 2;

  private E10Claims() {}

  static List<Claim> claims(Results results) {
    List<Claim> out = new ArrayList<>();
    out.add(countClaim(results, "prompt", Claim.test("prompt-parameter-count").source(DERIVED)
        .says("A soft prompt trains m_p·d parameters plus the head: trainable_params − (m_p·384 + 770) = 0 for every "
            + "prompt run."), r -> config(r, "m_p") * D + HEAD));
    out.add(countClaim(results, "lora", Claim.test("lora-parameter-count").source(DERIVED)
        .says("LoRA of rank r on W_q and W_v of 6 layers trains 2·6·r·(384 + 384) parameters plus the head: "
            + "difference = 0 for every LoRA run."), r -> 2L * LAYERS * config(r, "r") * (D + D) + HEAD));
    out.add(gap(results, "lora", "prompt", "lora-beats-prompt-tuning",
        "The best LoRA config's seed-mean test accuracy is above the best prompt-tuning config's (Wang et al.: a "
            + "fixed model has tasks prompts cannot learn that weight updates can)."));
    out.add(gap(results, "full", "prompt", "full-fine-tuning-beats-prompt-tuning",
        "The best full fine-tuning config's seed-mean test accuracy is above the best prompt-tuning config's."));
    out.add(gap(results, "prompt", "head", "prompt-tuning-beats-frozen-head",
        "The best prompt-tuning config's seed-mean test accuracy is above the frozen encoder + linear head's (does "
            + "the prompt add anything over the head it is trained with?)."));
    out.add(normGrows(results));
    return out;
  }

  private static Claim countClaim(Results results, String method, Claim.Builder claim,
      ToLongFunction<RunRecord> expected) {
    return claim.equalTo(0).measure(() -> {
      List<RunRecord> runs = results.where("method", method);
      if (runs.isEmpty()) throw Claim.noData("no " + method + " run completed");
      double worst = 0;
      for (RunRecord r : runs) {
        worst = Math.max(worst, Math.abs(r.metric("trainable_params") - expected.applyAsLong(r)));
      }
      return worst;
    });
  }

  /**
   * Best seed-mean test accuracy of method {@code a}'s configs minus {@code b}'s. A test (gap ≥ 2 standard errors
   * of the difference, √(s_a²/n_a + s_b²/n_b) from the seeds' spread) with ≥ {@value #MIN_SEEDS} seeds in both;
   * else an observation with the expectation gap ≥ 0.
   */
  private static Claim gap(Results results, String a, String b, String name, String statement) {
    Claim.Builder claim = Claim.test(name).source(RECALLED).says(statement + " A test with ≥ " + MIN_SEEDS
        + " seeds per config, where the gap must exceed " + (int) STANDARD_ERRORS + " standard errors of the "
        + "difference of the seed means (the bound); with fewer seeds an observation (expected ≥ 0).");
    Best x = best(results, a);
    Best y = best(results, b);
    if (x == null || y == null) return claim.atLeast(0).skipped("needs completed " + a + " and " + b + " runs");
    int seeds = Math.min(x.seeds(), y.seeds());
    if (seeds < MIN_SEEDS) {
      return claim.atLeast(0).asObservation(seeds + " seed(s) per config: one seed moves test accuracy by "
          + "about ±3 points, as much as the gap; run with --repeats " + MIN_SEEDS + " to test it")
          .measured(x.mean() - y.mean());
    }
    double se = Math.sqrt(x.variance() / x.seeds() + y.variance() / y.seeds());
    return claim.atLeast(STANDARD_ERRORS * se).measured(x.mean() - y.mean());
  }

  /** A config's test accuracy over its seeds: mean, sample variance, count. */
  record Best(double mean, double variance, int seeds) {}

  /** The config of {@code method} with the highest seed-mean test accuracy, or null without completed runs. */
  static Best best(Results results, String method) {
    Best best = null;
    for (List<RunRecord> runs : results.byConfig()) {
      List<RunRecord> sel = runs.stream().filter(r -> method.equals(r.config().get("method"))).toList();
      if (sel.isEmpty()) continue;
      double[] acc = Results.metric(sel, "test_accuracy");
      double mean = Results.mean(acc);
      double ss = 0;
      for (double v : acc) ss += (v - mean) * (v - mean);
      Best here = new Best(mean, acc.length > 1 ? ss / (acc.length - 1) : Double.NaN, acc.length);
      if (best == null || mean > best.mean()) best = here;
    }
    return best;
  }

  private static long config(RunRecord r, String key) {
    return ((Number) r.config().get(key)).longValue();
  }

  /**
   * Always an observation. Wang et al. §7.3 [R] report the prompt's norm growing as it memorizes; here the ratio
   * passes for any drift at lr 0.1 and P is measured before MiniLM's embedding layer norm, so it cannot test that.
   */
  private static Claim normGrows(Results results) {
    return Claim.observation("prompt-norm-grows").source(RECALLED)
        .says("The soft prompt's spectral norm over training (Wang et al. §7.3 report it growing as the prompt "
            + "memorizes): smallest ratio ‖P_final‖₂ / ‖P_initial‖₂ over prompt runs at the paper's lr 0.1. Shown, "
            + "not tested: P is measured before MiniLM's embedding layer norm, which rescales every prompt row "
            + "(after its position embedding is added), so a larger ‖P‖ need not reach the encoder as a larger "
            + "input; and these sentences are not a non-injective dataset, where Wang et al.'s Thm 4 forces ‖P‖ "
            + "out of a certified radius. Any drift of Adam at lr 0.1 makes the ratio exceed 1.")
        .atLeast(1).measure(() -> {
          List<RunRecord> runs = results.where(r -> "prompt".equals(r.config().get("method"))
              && ((Number) r.config().get("lr")).doubleValue() >= 0.1);
          if (runs.isEmpty()) throw Claim.noData("no prompt run at lr 0.1");
          double min = Double.POSITIVE_INFINITY;
          for (RunRecord r : runs) min = Math.min(min, r.metric("prompt_norm_final") / r.metric("prompt_norm_initial"));
          return min;
        });
  }
}
