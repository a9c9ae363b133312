package org.ptlab.lab.hu2025;

import static org.ptlab.lab.Claim.Source.DERIVED;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E6's claims. Exact ones (U1, U3) are checked on single deterministic runs; the noisy one (U2's halving) uses the
 * median over ≥ 3 random targets and a margin (ratio ≥ 1.4 for an expected 2); E6b/E6c numbers are observations.
 * The construction and its checks are [D] (spec hu2025.md §2–3, §7 D).
 */
final class E6Claims {
  private E6Claims() {}

  static List<Claim> claims(Results r) {
    List<Claim> out = new ArrayList<>();
    out.add(Claim.test("u1-exact-memorization").source(DERIVED)
        .says("U1: at d = 1, L = 2, δ = δ_out = δ_P = 1/2 one transformer reproduces all 256 functions on all 4 grid "
            + "cells through their prompts: max error ≤ 1e-8.")
        .atMost(1e-8).measure(() -> u1(r).metric("max_error")));
    out.add(Claim.test("u1-all-ids-distinct").source(DERIVED)
        .says("U1: the rank-1 contextual map gives the 256 × 4 × 2 (member, cell, position) pairs 2,048 distinct ids.")
        .equalTo(2048).measure(() -> u1(r).metric("distinct_ids")));
    out.add(Claim.test("u3-prompt-length-formula").source(DERIVED)
        .says("U3: L_p = ⌈log|F̄| / (d·log(1/δ_P))⌉, which at δ = δ_out = δ_P is L·(1/δ)^{dL}: max |L_p − formula| "
            + "over the families built is 0.")
        .equalTo(0).measure(() -> {
          double worst = 0;
          for (RunRecord x : nonEmpty(part(r, "memorize"), "no memorize run")) {
            double formula = intOf(x, "L") * Math.pow(intOf(x, "levels"), intOf(x, "d") * intOf(x, "L"));
            worst = Math.max(worst, Math.abs(x.metric("prompt_length") - formula));
          }
          return worst;
        }));
    out.add(Claim.test("u2-error-within-bound").source(DERIVED)
        .says("U2: for random 1-Lipschitz targets, the 3σ upper confidence bound of the Monte-Carlo d_2 error is at "
            + "most C·δ·(dL)^{1/p} + δ_out·(dL)^{1/p} + the FF1-ramp term: max over runs of (ucb − bound) ≤ 0.")
        .atMost(0).measure(() -> worstExcess(nonEmpty(part(r, "error"), "no error run"))));
    out.add(Claim.test("u2-first-order-in-delta").source(DERIVED)
        .says("U2: d_2 is first order in δ: the median over ≥ 3 targets of d_2(δ)/d_2(δ/2), minimum over consecutive "
            + "δ, is at least 1.4 (2 expected; margin for Monte-Carlo noise and the δ_out term).")
        .atLeast(1.4).measure(() -> halving(r)));
    out.add(Claim.observation("e6b-largest-verified-family").source(DERIVED)
        .says("The largest construction (whole family or one target) verified in float64 (grid error ≤ 1e-8): its number of "
            + "context ids (at least U1's 2,048 expected).")
        .atLeast(2048).measure(() -> {
          double best = 0;
          for (RunRecord x : part(r, "precision")) {
            if (x.metric("run") == 1 && x.metric("verified") == 1) best = Math.max(best, x.metric("context_ids"));
          }
          for (RunRecord x : part(r, "memorize")) { // whole families are verified there
            if (x.metric("max_error") <= 1e-8) best = Math.max(best, x.metric("distinct_ids"));
          }
          if (best == 0) throw Claim.noData("no verified construction");
          return best;
        }));
    out.add(Claim.observation("e6c-training-finds-the-code").source(DERIVED)
        .says("From uniform random prompts, the fraction of Adam runs on the constructed model that end on a prompt "
            + "rounding to the target function (FF_1 quantizes the prompt, so the loss is piecewise constant in P; "
            + "a lucky draw has chance 1/|F̄|).")
        .atMost(0.5).measure(() -> Results.mean(Results.metric(nonEmpty(part(r, "train"), "no training run"),
            "found"))));
    out.add(Claim.test("e6c-constructed-prompt-is-exact").source(DERIVED)
        .says("Next to training: the constructed prompt P_f̄ of the same target has MSE ≤ 1e-16 (max over trials).")
        .atMost(1e-16).measure(() -> Results.max(Results.metric(nonEmpty(part(r, "train"), "no training run"),
            "constructed_mse"))));
    return out;
  }

  private static double worstExcess(List<RunRecord> runs) {
    double worst = Double.NEGATIVE_INFINITY;
    for (RunRecord x : runs) worst = Math.max(worst, x.metric("d_p_ucb") - x.metric("bound"));
    return worst;
  }

  private static double halving(Results r) {
    TreeMap<Double, List<Double>> by = new TreeMap<>();
    for (RunRecord x : part(r, "error")) by.computeIfAbsent(x.metric("delta"), k -> new ArrayList<>()).add(x.metric("d_p"));
    if (by.size() < 2 || by.values().stream().anyMatch(v -> v.size() < 3)) {
      throw Claim.noData("needs ≥ 2 values of δ with ≥ 3 targets each");
    }
    List<Double> med = by.values().stream().map(v -> Results.median(v.stream().mapToDouble(x -> x).toArray())).toList();
    double worst = Double.POSITIVE_INFINITY;
    for (int i = 1; i < med.size(); i++) worst = Math.min(worst, med.get(i) / med.get(i - 1));
    return worst;
  }

  private static RunRecord u1(Results r) {
    return part(r, "memorize").stream().filter(x -> intOf(x, "d") == 1 && intOf(x, "L") == 2
        && intOf(x, "levels") == 2).findFirst().orElseThrow(() -> Claim.noData("no U1 run (d=1, L=2, δ=1/2)"));
  }

  private static List<RunRecord> nonEmpty(List<RunRecord> runs, String why) {
    if (runs.isEmpty()) throw Claim.noData(why);
    return runs;
  }

  static List<RunRecord> part(Results results, String part) {
    return results.where(x -> x.done() && part.equals(x.config().get("part")));
  }

  static int intOf(RunRecord x, String key) {
    return ((Number) x.config().get(key)).intValue();
  }
}
