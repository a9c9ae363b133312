package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E6's claims. Exact ones (U1, U3) are checked on single deterministic runs; the noisy one (U2's halving) uses the
 * median over ≥ 3 random targets and a margin (ratio ≥ 1.4 for an expected 2); observations say so.
 */
final class E6Claims {
  private E6Claims() {}

  static List<ClaimResult> claims(Results results) {
    List<ClaimResult> out = new ArrayList<>();
    String u1 = "u1-exact-memorization";
    String u1d = "[D] U1: at d = 1, L = 2, δ = δ_out = δ_P = 1/2 one transformer reproduces all 256 functions on all "
        + "4 grid cells through their prompts: max error ≤ 1e-8.";
    out.add(onU1(results, u1, u1d, "max_error", "<=", 1e-8));
    String ids = "u1-all-ids-distinct";
    String idsd = "[D] U1: the rank-1 contextual map gives all 256 × 4 × 2 = 2,048 (member, cell, position) ids "
        + "distinct values.";
    out.add(onU1(results, ids, idsd, "distinct_ids", "==", 2048));
    String u3 = "u3-prompt-length-formula";
    String u3d = "U3: L_p = ⌈log|F̄| / (d·log(1/δ_P))⌉, which at δ = δ_out = δ_P is L·(1/δ)^{dL}: max |L_p − "
        + "formula| over the families built is 0.";
    out.add(one(results, u3, u3d, "==", 0, () -> {
      double worst = 0;
      for (RunRecord r : part(results, "memorize")) {
        double formula = intOf(r, "L") * Math.pow(intOf(r, "levels"), intOf(r, "d") * intOf(r, "L"));
        worst = Math.max(worst, Math.abs(r.metric("prompt_length") - formula));
      }
      return check(u3, u3d, worst, "==", 0, 0);
    }));
    String u2 = "u2-error-within-bound";
    String u2d = "[D] U2: for random 1-Lipschitz targets, the 3σ upper confidence bound of the Monte-Carlo d_2 error "
        + "is at most C·δ·(dL)^{1/p} + δ_out·(dL)^{1/p} + FF1-ramp term: max over runs of (ucb − bound) ≤ 0.";
    out.add(one(results, u2, u2d, "<=", 0, () -> {
      double worst = Double.NEGATIVE_INFINITY;
      for (RunRecord r : part(results, "error")) worst = Math.max(worst, r.metric("d_p_ucb") - r.metric("bound"));
      return check(u2, u2d, worst, "<=", 0, 0);
    }));
    out.add(halving(results));
    out.addAll(E6Claims2.precisionAndTraining(results));
    return out;
  }

  /** U2's first order: d_2 roughly halves when δ halves (median over targets, each pair of consecutive δ). */
  private static ClaimResult halving(Results results) {
    String n = "u2-first-order-in-delta";
    String d = "U2: d_2 is first order in δ: the median over ≥ 3 targets of d_2(δ)/d_2(δ/2), minimum over consecutive "
        + "δ, is at least 1.4 (2 expected; margin for Monte-Carlo noise and the δ_out term).";
    return ClaimResult.guarded(n, d, () -> {
      TreeMap<Double, List<Double>> by = new TreeMap<>();
      for (RunRecord r : part(results, "error")) by.computeIfAbsent(r.metric("delta"), k -> new ArrayList<>())
          .add(r.metric("d_p"));
      if (by.size() < 2 || by.values().stream().anyMatch(v -> v.size() < 3)) {
        return ClaimResult.skipped(n, d, ">=", 1.4, "needs ≥ 2 δ values with ≥ 3 targets each");
      }
      List<Double> med = by.values().stream().map(v -> Results.median(v.stream().mapToDouble(x -> x).toArray()))
          .toList();
      double worst = Double.POSITIVE_INFINITY;
      for (int i = 1; i < med.size(); i++) worst = Math.min(worst, med.get(i) / med.get(i - 1));
      return check(n, d, worst, ">=", 1.4, 0);
    });
  }

  static ClaimResult one(Results results, String name, String desc, String rel, double bound,
      Supplier<ClaimResult> check) {
    return ClaimResult.guarded(name, desc, check);
  }

  static ClaimResult check(String name, String desc, double measured, String rel, double bound, double tol) {
    return ClaimResult.check(name, desc, measured, rel, bound, tol);
  }

  /** A claim on the U1 run's {@code metric}, skipped when the grid has no U1 run (the smoke grid). */
  private static ClaimResult onU1(Results results, String name, String desc, String metric, String rel, double bound) {
    return ClaimResult.guarded(name, desc, () -> part(results, "memorize").stream().filter(r -> intOf(r, "d") == 1
        && intOf(r, "L") == 2 && intOf(r, "levels") == 2).findFirst()
        .map(r -> check(name, desc, r.metric(metric), rel, bound, 0))
        .orElseGet(() -> ClaimResult.skipped(name, desc, rel, bound, "no U1 run (d=1, L=2, δ=1/2) in this grid")));
  }

  static List<RunRecord> part(Results results, String part) {
    return results.where(r -> r.done() && part.equals(r.config().get("part")));
  }

  static int intOf(RunRecord r, String key) {
    return ((Number) r.config().get(key)).intValue();
  }
}
