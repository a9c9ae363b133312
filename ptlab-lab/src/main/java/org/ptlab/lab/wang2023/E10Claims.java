package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E10's claims. Two are exact (parameter counts follow from the shapes); the others compare measured accuracies and
 * norms with what Wang et al.'s results lead one to expect for a fixed pretrained model. Those are expectations,
 * not theorems about this model: a failed one is a finding, and the report shows it as such.
 */
final class E10Claims {
  /** MiniLM's width, layers, and the 2-class head on the pooled output (384·2 weights + 2 biases). */
  private static final int D = 384;
  private static final int LAYERS = 6;
  private static final int HEAD = D * 2 + 2;

  private E10Claims() {}

  static List<ClaimResult> claims(Results results) {
    List<ClaimResult> out = new ArrayList<>();
    out.add(countClaim(results, "prompt", "prompt-parameter-count",
        "A soft prompt trains m_p·d parameters plus the head: trainable_params − (m_p·384 + 770) = 0 for every "
            + "prompt run.", r -> config(r, "m_p") * D + HEAD));
    out.add(countClaim(results, "lora", "lora-parameter-count",
        "LoRA of rank r on W_q and W_v of 6 layers trains 2·6·r·(384 + 384) parameters plus the head: difference "
            + "= 0 for every LoRA run.", r -> 2L * LAYERS * config(r, "r") * (D + D) + HEAD));
    out.add(gap(results, "lora", "prompt", "lora-beats-prompt-tuning",
        "Best LoRA config's mean test accuracy minus best prompt-tuning config's (Wang et al.: a fixed model has "
            + "tasks prompts cannot learn that weight updates can; expected ≥ 0)."));
    out.add(gap(results, "full", "prompt", "full-fine-tuning-beats-prompt-tuning",
        "Best full fine-tuning config's mean test accuracy minus best prompt-tuning config's (expected ≥ 0)."));
    out.add(gap(results, "prompt", "head", "prompt-tuning-beats-frozen-head",
        "Best prompt-tuning config's mean test accuracy minus the frozen encoder + linear head's (does the prompt "
            + "add anything over the head it is trained with? expected ≥ 0)."));
    out.add(ClaimResult.guarded("prompt-norm-grows", "", () -> normGrows(results)));
    return out;
  }

  private static ClaimResult countClaim(Results results, String method, String name, String description,
      java.util.function.ToLongFunction<RunRecord> expected) {
    return ClaimResult.guarded(name, description, () -> {
      List<RunRecord> runs = results.where("method", method);
      if (runs.isEmpty()) return ClaimResult.skipped(name, description, "==", 0, "no " + method + " run completed");
      double worst = 0;
      for (RunRecord r : runs) worst = Math.max(worst, Math.abs(r.metric("trainable_params") - expected.applyAsLong(r)));
      return ClaimResult.check(name, description, worst, "==", 0, 0);
    });
  }

  /** Best mean test accuracy of {@code a}'s configs minus {@code b}'s, on the same split. */
  private static ClaimResult gap(Results results, String a, String b, String name, String description) {
    return ClaimResult.guarded(name, description, () -> {
      double best = bestAccuracy(results, r -> a.equals(r.config().get("method")));
      double other = bestAccuracy(results, r -> b.equals(r.config().get("method")));
      if (Double.isNaN(best) || Double.isNaN(other)) {
        return ClaimResult.skipped(name, description, ">=", 0, "needs completed " + a + " and " + b + " runs");
      }
      return ClaimResult.check(name, description, best - other, ">=", 0, 0);
    });
  }

  private static long config(RunRecord r, String key) {
    return ((Number) r.config().get(key)).longValue();
  }

  static double bestAccuracy(Results results, Predicate<RunRecord> which) {
    double best = Double.NaN;
    for (List<RunRecord> runs : results.byConfig()) {
      List<RunRecord> sel = runs.stream().filter(which).toList();
      if (sel.isEmpty()) continue;
      double acc = Results.mean(Results.metric(sel, "test_accuracy"));
      if (Double.isNaN(best) || acc > best) best = acc;
    }
    return best;
  }

  private static ClaimResult normGrows(Results results) {
    String name = "prompt-norm-grows";
    String description = "The soft prompt's spectral norm grows during training (Wang et al. §7.3): smallest ratio "
        + "‖P_final‖₂ / ‖P_initial‖₂ over prompt runs at the paper's lr 0.1 is ≥ 1.";
    List<RunRecord> runs = results.where(r -> "prompt".equals(r.config().get("method"))
        && ((Number) r.config().get("lr")).doubleValue() >= 0.1);
    if (runs.isEmpty()) return ClaimResult.skipped(name, description, ">=", 1, "no prompt run at lr 0.1");
    double min = Double.POSITIVE_INFINITY;
    for (RunRecord r : runs) min = Math.min(min, r.metric("prompt_norm_final") / r.metric("prompt_norm_initial"));
    return ClaimResult.check(name, description, min, ">=", 1, 0);
  }
}
