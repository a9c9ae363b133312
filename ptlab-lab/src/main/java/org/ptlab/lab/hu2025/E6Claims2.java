package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E6b's and E6c's claims: both are observations about this implementation in float64, not the paper's. */
final class E6Claims2 {
  private E6Claims2() {}

  static List<ClaimResult> precisionAndTraining(Results results) {
    List<ClaimResult> out = new ArrayList<>();
    String p = "e6b-largest-verified-family";
    String pd = "Observation [D]: the largest precision-ladder construction verified in float64 (grid error ≤ 1e-8) "
        + "has at least U1's 2,048 context ids (measured: its id count).";
    out.add(ClaimResult.guarded(p, pd, () -> {
      double best = 0;
      for (RunRecord r : E6Claims.part(results, "precision")) {
        if (r.metric("run") == 1 && r.metric("verified") == 1) best = Math.max(best, r.metric("context_ids"));
      }
      return E6Claims.part(results, "precision").isEmpty()
          ? ClaimResult.skipped(p, pd, ">=", 2048, "no precision run")
          : ClaimResult.check(p, pd, best, ">=", 2048, 0);
    }));
    String t = "e6c-training-rarely-finds-the-code";
    String td = "Observation: from uniform random prompts, Adam on the constructed model finds a prompt that rounds to "
        + "the target function in at most half the trials (FF_1 quantizes the prompt, so the loss is piecewise "
        + "constant in P; chance of a lucky draw 1/|F̄|). Measured: fraction found.";
    out.add(ClaimResult.guarded(t, td, () -> {
      List<RunRecord> runs = E6Claims.part(results, "train");
      if (runs.size() < 3) return ClaimResult.skipped(t, td, "<=", 0.5, "needs ≥ 3 trials");
      return ClaimResult.check(t, td, Results.mean(Results.metric(runs, "found")), "<=", 0.5, 0);
    }));
    String c = "e6c-constructed-prompt-is-exact";
    String cd = "[D] Next to training: the constructed prompt P_f̄ of the same target has MSE ≤ 1e-16 (max over trials).";
    out.add(ClaimResult.guarded(c, cd, () -> {
      List<RunRecord> runs = E6Claims.part(results, "train");
      if (runs.isEmpty()) return ClaimResult.skipped(c, cd, "<=", 1e-16, "no training run");
      return ClaimResult.check(c, cd, Results.max(Results.metric(runs, "constructed_mse")), "<=", 1e-16, 0);
    }));
    return out;
  }
}
