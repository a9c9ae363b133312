package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E9's claims, each from the stored runs of its part. Accuracy claims compare a measurement with its certificate
 * (deterministic); time claims compare wall-clock measurements with the targets (they depend on the
 * machine and its load, and say so).
 */
final class E9Claims {
  private E9Claims() {}

  static List<ClaimResult> claims(Results results) {
    List<ClaimResult> out = new ArrayList<>();
    out.add(worst(results, "degree", "worst_excess_over_certificate", true, "errors-within-certificates",
        "At every degree g, for Taylor and Chebyshev, the measured relative kernel error max|P(t) − e^t|/e^t over all "
            + "n² scores is at most ε_g and the measured max-norm output error at most 2ε_g/(1−ε_g)·‖V‖_max: max "
            + "excess over the certificate ≤ 0.", "<=", 0, 1e-15));
    out.add(worst(results, "degree", "chosen_error_over_target", true, "chosen-degree-meets-1/poly(n)",
        "The degree picked for δ_F = n⁻² (1/poly(n)) gives a measured max-norm error at most n⁻²: max error/target ≤ 1.",
        "<=", 1, 0));
    out.add(single(results, "time", "slope_fast_large_n", "time-slope-fast",
        "Polynomial attention time grows almost linearly in n at R ≤ 1, s = 4: log-log slope over n ≥ 2048 (below, "
            + "per-call overheads flatten both curves) at most 1.15 (wall-clock, shared machine).", "<=", 1.15, 0));
    out.add(single(results, "time", "slope_exact_large_n", "time-slope-exact",
        "Exact attention time grows quadratically in n: log-log slope over n ≥ 2048 is 2 ± 0.25 (wall-clock).", "==", 2,
        0.25));
    out.add(single(results, "time", "crossover_n", "crossover-n",
        "The polynomial method is faster than exact attention from n ≈ crossover_n on (target ≤ 2048; wall-clock).",
        "<=", 2048, 0));
    out.add(single(results, "time", "speedup_at_largest_exact", "speedup-at-largest-measured-n",
        "At the largest n where exact attention was run (16384 in the quick grid) the polynomial method is at least "
            + "10× faster (wall-clock).", ">=", 10, 0));
    out.add(worst(results, "time", "max_error_over_bound", true, "time-runs-within-bound",
        "Every timed polynomial result is within its certified bound (error/bound ≤ 1).", "<=", 1, 0));
    out.add(worst(results, "transition", "fast_wins_at_smallest_B_num", false, "fast-below-threshold",
        "Below the threshold (B = ¼√ln n) the polynomial method is faster than exact attention (1 = yes, min over n).",
        "==", 1, 0));
    out.add(worst(results, "transition", "fast_over_exact_at_threshold", false, "no-gain-at-threshold",
        "At B = √ln n (R ≈ ln n) the polynomial method is no longer faster than exact attention, as the SETH lower "
            + "bound says no algorithm can be: (measured or predicted fast time)/exact time ≥ 1 (min over n).",
        ">=", 1, 0));
    out.add(worst(results, "transition", "degree_nondecreasing_num", false, "degree-grows-with-B",
        "The chosen degree never decreases as B grows (1 = yes, min over n).", "==", 1, 0));
    out.add(worst(results, "transition", "max_error_over_bound", true, "transition-runs-within-bound",
        "Every run point of the transition is within its certified bound (error/bound ≤ 1).", "<=", 1, 0));
    out.add(worst(results, "gradient", "grad_max_error_over_bound", true, "gradient-within-certificate",
        "The almost-linear gradient (dQ, dK, dV) is within its certified max-norm bounds at every run point "
            + "(max error/bound ≤ 1).", "<=", 1, 0));
    out.add(single(results, "gradient", "grad_slope_fast_large_n", "gradient-slope-fast",
        "The almost-linear gradient's time grows almost linearly in n at R ≤ 1: log-log slope over n ≥ 1024 at most "
            + "1.15 (wall-clock).", "<=", 1.15, 0));
    out.add(worst(results, "gradient", "grad_fast_wins_at_smallest_B_num", false, "gradient-fast-below-threshold",
        "Below the threshold (B = ¼√ln n) the fast gradient beats exact autograd (1 = yes).", "==", 1, 0));
    out.add(worst(results, "random-features", "worst_poly_over_favor", true, "polynomial-beats-random-features",
        "At equal rank r, the polynomial method's max-norm error is below FAVOR+'s mean error at every R "
            + "(max ratio ≤ 1).", "<=", 1, 0));
    out.add(worst(results, "constrained", "constrained_certified_over_rmax", true, "constrained-R-every-step",
        "Norm-constrained prompt tuning keeps the certified layer-1 prompt range R̂ ≤ R_max after every optimizer "
            + "step, for every R_max swept: max R̂/R_max ≤ 1.", "<=", 1, 0));
    out.add(worst(results, "constrained", "constrained_max_r_over_rmax", true, "constrained-true-R-within-bound",
        "The true largest prompt-involved layer-1 |score| over the training data (float64, measured at the start and "
            + "after every epoch) stays ≤ R_max: max R/R_max ≤ 1.", "<=", 1, 0));
    out.add(worst(results, "constrained", "identity_loss_diff", true, "projection-identity-when-feasible",
        "With R_max above every R the unconstrained run reaches, the projection never changes the prompt: the same "
            + "test loss, to the bit (|difference| = 0).", "<=", 0, 0));
    out.add(worst(results, "constrained", "loss_gain_at_half_log_n", false, "fast-regime-prompt-still-learns",
        "Prompt tuning constrained to R ≤ ½·ln n (the fast regime) still lowers the held-out loss below the zero "
            + "prompt's: zero-prompt test loss − constrained test loss ≥ 0.", ">=", 0, 0));
    out.add(worst(results, "constrained", "fast_bound_at_half_log_n", true, "fast-path-certified-at-half-log-n",
        "At R_max = ½·ln n the constrained prompt's test set runs through the polynomial kernel with a certified "
            + "max-norm attention error ≤ the tolerance 1e-6 (the loss cost paid for this is in the table: "
            + "loss_cost_at_half_log_n).", "<=", E9Constrained.DELTA, 0));
    return out;
  }

  /** The worst (max if {@code max}, else min) of a metric over the runs of a part; skipped without runs. */
  private static ClaimResult worst(Results results, String part, String metric, boolean max, String name,
      String desc, String relation, double bound, double tol) {
    return ClaimResult.guarded(name, desc, () -> {
      List<RunRecord> runs = results.where("part", part);
      if (runs.isEmpty()) return ClaimResult.skipped(name, desc, relation, bound, "no completed '" + part + "' run");
      double w = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (RunRecord r : runs) {
        double v = value(r, metric);
        w = Double.isNaN(v) ? Double.NaN : max ? Math.max(w, v) : Math.min(w, v);
        if (Double.isNaN(w)) break;
      }
      return ClaimResult.check(name, desc, w, relation, bound, tol);
    });
  }

  private static ClaimResult single(Results results, String part, String metric, String name, String desc,
      String relation, double bound, double tol) {
    return worst(results, part, metric, !relation.equals(">="), name, desc, relation, bound, tol);
  }

  /** A metric, with the derived ones: booleans as 1/0 ("_num"), and the chosen error over its target. */
  static double value(RunRecord r, String metric) {
    if (metric.endsWith("_num")) {
      Object v = r.metrics().get(metric.substring(0, metric.length() - 4));
      return v instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
    }
    if (metric.equals("chosen_error_over_target")) return r.metric("chosen_error") / r.metric("target");
    if (metric.equals("loss_gain_at_half_log_n")) {
      return r.metric("zero_prompt_test_loss") - r.metric("test_loss_at_half_log_n");
    }
    return r.metric(metric);
  }
}
