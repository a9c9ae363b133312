package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E9's figures, one per question of the issue, drawn from the runs' artifacts (missing parts give no figure). */
final class E9Figures {
  /** Errors reach float64 round-off (~1e-16); below it nothing is resolved. Captions say so. */
  static final double FLOOR = 1e-17;

  private E9Figures() {}

  static List<FigureSpec> figures(Results results) {
    List<FigureSpec> out = new ArrayList<>();
    List<RunRecord> degree = results.where("part", "degree");
    if (!degree.isEmpty()) out.add(errorVsDegree(degree));
    for (RunRecord r : results.where("part", "time")) out.add(timeVsN(r));
    List<RunRecord> transition = results.where("part", "transition");
    if (!transition.isEmpty()) {
      out.add(transitionRank(transition));
      out.add(transitionTime(transition));
    }
    for (RunRecord r : results.where("part", "gradient")) {
      out.add(gradient(r));
      out.add(gradientTransition(r));
    }
    for (RunRecord r : results.where("part", "random-features")) out.add(randomFeatures(r));
    for (RunRecord r : results.where("part", "constrained")) {
      out.add(constrained(r, "test_accuracy", "train_accuracy", "accuracy", "E9-constrained-accuracy",
          "(vi) Accuracy of norm-constrained prompt tuning vs R_max"));
      out.add(constrained(r, "test_loss", "train_loss", "cross-entropy loss", "E9-constrained-loss",
          "(vi) Loss of norm-constrained prompt tuning vs R_max"));
      out.add(constrainedRange(r));
    }
    return out;
  }

  private static FigureSpec errorVsDegree(List<RunRecord> runs) {
    List<Series> s = new ArrayList<>();
    double gMax = 1;
    for (RunRecord r : runs) {
      String tag = " (R=" + r.config().get("R") + ")";
      double[] g = nums(r, "degree");
      gMax = Math.max(gMax, g[g.length - 1]);
      s.add(new Series("Taylor, measured" + tag, g, nums(r, "taylor_out_err"), Style.LINE));
      s.add(new Series("Chebyshev, measured" + tag, g, nums(r, "cheb_out_err"), Style.LINE));
      s.add(new Series("Chebyshev certificate" + tag, g, nums(r, "cheb_bound"), Style.BOUND));
    }
    RunRecord first = runs.get(0);
    s.add(Series.horizontal("target δ_F = n⁻² (n=" + first.config().get("n") + ")", first.metric("target"), 0, gMax,
        Style.REFERENCE));
    return new FigureSpec("E9-error-vs-degree", "(i) Output error vs degree", "degree g of the polynomial",
        "max-norm error ‖T − Att‖_max", false, true, FLOOR, s,
        "Measured errors (solid) stay under the certificate 2ε_g/(1−ε_g)·‖V‖_max (dashed) at every degree; the dotted "
            + "line is the 1/poly(n) target. Errors below 1e-17 are drawn at 1e-17 (float64 round-off).");
  }

  private static FigureSpec timeVsN(RunRecord r) {
    double[] n = nums(r, "n");
    List<Series> s = new ArrayList<>();
    s.add(new Series(String.format("exact, measured (slope %.2f; %.2f for n ≥ 2048)", r.metric("slope_exact"),
        r.metric("slope_exact_large_n")), n, nums(r, "exact_ms"), Style.LINE));
    double[] predicted = nums(r, "exact_predicted_ms");
    double[] exact = nums(r, "exact_ms");
    for (int i = 0; i < predicted.length; i++) if (!Double.isNaN(exact[i])) predicted[i] = Double.NaN;
    s.add(new Series("exact, not run: predicted ∝ n²", n, predicted, Style.POINTS));
    s.add(new Series(String.format("polynomial, measured (slope %.2f; %.2f for n ≥ 2048)", r.metric("slope_fast"),
        r.metric("slope_fast_large_n")), n, nums(r, "fast_ms"), Style.LINE));
    return new FigureSpec("E9-time-vs-n", "(ii) Time vs n (s = 4, R ≤ 1, error ≤ 1e-6)", "n (keys = queries)",
        "median time (ms)", true, true, Double.NaN, s, String.format("Log-log axes; crossover at n ≈ %.0f. Exact: the "
            + "engine's fused kernel over blocks of query rows; wall-clock medians on a shared machine.",
            r.metric("crossover_n")));
  }

  private static FigureSpec transitionRank(List<RunRecord> runs) {
    List<Series> s = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (RunRecord r : runs) {
      double[] f = nums(r, "fraction");
      String tag = " (n=" + r.config().get("n") + ")";
      s.add(new Series("rank r = C(s+g, g)" + tag, f, nums(r, "rank"), Style.LINE));
      s.add(new Series("degree g" + tag, f, nums(r, "degree"), Style.LINE));
      s.add(Series.horizontal("r = n" + tag, ((Number) r.config().get("n")).doubleValue(), f[0], f[f.length - 1],
          Style.REFERENCE));
      for (double x : nums(r, "rank")) hi = Math.max(hi, x);
      lo = Math.min(lo, 1);
    }
    s.add(new Series("threshold B = √ln n", new double[] {1, 1}, new double[] {lo, hi}, Style.BOUND));
    return new FigureSpec("E9-transition-rank", "(iii) Degree and rank as B crosses √ln n",
        "B / √ln n (entries of Q, K in [−B, B], scale 1/s, so R ≈ B²)", "degree g, rank r (count)", false, true,
        Double.NaN, s, "Target δ_F = n⁻². Below the threshold the rank stays far below n; above it, r ≫ n: the method "
            + "is no longer sub-quadratic (its own blow-up at s = 4; SETH rules out every fast method only when "
            + "d = Θ(log n)).");
  }

  private static FigureSpec transitionTime(List<RunRecord> runs) {
    List<Series> s = new ArrayList<>();
    for (RunRecord r : runs) {
      double[] f = nums(r, "fraction");
      String tag = " (n=" + r.config().get("n") + ")";
      s.add(new Series("exact" + tag, f, nums(r, "exact_ms"), Style.LINE));
      s.add(new Series("polynomial, measured" + tag, f, nums(r, "fast_ms"), Style.LINE));
      s.add(new Series("polynomial, predicted (cost model)" + tag, f, nums(r, "fast_predicted_ms"), Style.POINTS));
    }
    return new FigureSpec("E9-transition-time", "(iii) Time as B crosses √ln n", "B / √ln n", "time (ms)", false, true,
        Double.NaN, s, "Where the measured polynomial curve stops, the point was not run (over the grid's time "
            + "budget); its predicted cost is still drawn.");
  }

  private static FigureSpec gradient(RunRecord r) {
    List<Series> s = new ArrayList<>();
    s.add(new Series(String.format("fast gradient vs n (slope %.2f)", r.metric("grad_slope_fast")), nums(r, "sweep_n"),
        nums(r, "sweep_fast_ms"), Style.LINE));
    s.add(new Series(String.format("exact autograd vs n (slope %.2f)", r.metric("grad_slope_exact")),
        nums(r, "sweep_n"), nums(r, "sweep_exact_ms"), Style.LINE));
    return new FigureSpec("E9-gradient-vs-n", "(iv) Gradient time vs n (s = 4, R ≤ 1, tolerance 1e-6)",
        "n (keys = queries)", "median time of dQ, dK, dV (ms)", true, true, Double.NaN, s, "Log-log axes. Exact: "
            + "autograd through the engine's fused attention (it holds the n×n probabilities); fast: the row-wise "
            + "Kronecker backward of spec §4.5, no n×n matrix.");
  }

  private static FigureSpec gradientTransition(RunRecord r) {
    double[] f = nums(r, "fraction");
    List<Series> s = new ArrayList<>();
    s.add(new Series("exact autograd", f, nums(r, "exact_ms"), Style.LINE));
    s.add(new Series("fast gradient, measured", f, nums(r, "fast_ms"), Style.LINE));
    s.add(new Series("fast gradient, predicted (cost model)", f, nums(r, "fast_predicted_ms"), Style.POINTS));
    return new FigureSpec("E9-gradient-transition", "(iv) Gradient time as B crosses √ln n (n = " + r.config().get("n")
        + ")", "B / √ln n (scale 1/s, R ≈ B²)", "time (ms)", false, true, Double.NaN, s, "Target δ_F = n⁻². Where the "
            + "measured curve stops, the point was not run (over the time budget); its predicted cost is drawn.");
  }

  private static FigureSpec randomFeatures(RunRecord r) {
    double[] x = nums(r, "R");
    List<Series> s = new ArrayList<>();
    s.add(new Series("polynomial, measured", x, nums(r, "poly_error"), Style.LINE));
    s.add(new Series("polynomial, certificate", x, nums(r, "poly_bound"), Style.BOUND));
    s.add(new Series("FAVOR+, mean over seeds", x, nums(r, "favor_mean_error"), Style.LINE));
    s.add(new Series("FAVOR+, worst seed", x, nums(r, "favor_max_error"), Style.POINTS));
    return new FigureSpec("E9-random-features", "(v) Polynomial method vs FAVOR+ at equal rank", "exponent range R",
        "max-norm error", false, true, Double.NaN, s, "FAVOR+ uses m = r positive orthogonal random features, r being "
            + "the polynomial method's rank at tolerance 1e-6; its error decays like 1/√r, the polynomial method's "
            + "super-exponentially in the degree.");
  }

  /** The sweep's runs (kind 1) of part (vi): x = R_max, and the index of the unconstrained run (kind 0). */
  private static double[][] sweep(RunRecord r, String key) {
    double[] kind = nums(r, "kind");
    double[] x = nums(r, "r_max");
    double[] y = nums(r, key);
    int n = 0;
    for (double k : kind) if (k == 1) n++;
    double[][] out = new double[3][n];
    for (int i = 0, j = 0; i < kind.length; i++) {
      if (kind[i] == 1) {
        out[0][j] = x[i];
        out[1][j++] = y[i];
      } else if (kind[i] == 0) {
        out[2] = new double[] {y[i]};
      }
    }
    return out;
  }

  /** Vertical lines of part (vi) over [lo, hi]: ½·ln n and ln n (dashed), R_auto (dotted). */
  private static void thresholds(List<Series> s, RunRecord r, double lo, double hi) {
    double[] y = {lo, hi};
    double half = r.metric("half_log_n");
    double log = r.metric("log_n");
    double auto = r.metric("r_auto");
    s.add(new Series("R = ½·ln n (left dashed)", new double[] {half, half}, y, Style.BOUND));
    s.add(new Series("R = ln n (right dashed)", new double[] {log, log}, y, Style.BOUND));
    s.add(new Series(String.format("R_auto = %.3g (dotted)", auto), new double[] {auto, auto}, y, Style.REFERENCE));
  }

  private static FigureSpec constrained(RunRecord r, String test, String train, String what, String id, String title) {
    List<Series> s = new ArrayList<>();
    double[][] te = sweep(r, test);
    double[][] tr = sweep(r, train);
    double x0 = Math.min(r.metric("r_auto"), te[0].length == 0 ? 0.1 : te[0][0]);
    double x1 = te[0].length == 0 ? 10 : te[0][te[0].length - 1];
    s.add(new Series("test, constrained", te[0], te[1], Style.LINE));
    s.add(new Series("train, constrained", tr[0], tr[1], Style.LINE));
    if (te[2].length == 1) s.add(Series.horizontal("test, unconstrained", te[2][0], x0, x1, Style.LINE));
    String zeroKey = test.equals("test_accuracy") ? "zero_prompt_test_accuracy" : "zero_prompt_test_loss";
    s.add(Series.horizontal("test, zero prompt (dotted)", r.metric(zeroKey), x0, x1, Style.REFERENCE));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series x : s) {
      for (double v : x.y()) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    thresholds(s, r, lo, hi);
    return new FigureSpec(id, title, "R_max (bound on the layer-1 prompt-involved exponent range)", what, true, false,
        Double.NaN, s, String.format("Planted task, n = %.0f, labels from a teacher prompt with R* = %.3g (= the "
            + "largest R_max). The prompt is projected after every step so that R̂ ≤ R_max. Dashed: R = ½·ln n (the "
            + "almost-linear regime ends) and R = ln n (beyond it the polynomial method is no longer sub-quadratic); "
            + "dotted: "
            + "R_auto, below which the auto kernel's cost model picks the polynomial path at this n. At R_max = ½·ln n "
            + "the test loss costs %.3g over unconstrained tuning (accuracy %.3f vs %.3f; zero prompt %.3f).",
            r.metric("n"), r.metric("teacher_range"), r.metric("loss_cost_at_half_log_n"),
            r.metric("test_accuracy_at_half_log_n"), r.metric("unconstrained_test_accuracy"),
            r.metric("zero_prompt_test_accuracy")));
  }

  private static FigureSpec constrainedRange(RunRecord r) {
    List<Series> s = new ArrayList<>();
    double[][] measured = sweep(r, "measured_max");
    double[][] certified = sweep(r, "certified_max_after");
    double[][] layer = sweep(r, "final_layer_range");
    s.add(new Series("true max prompt-involved |score| over all steps", measured[0], measured[1], Style.LINE));
    s.add(new Series("certified R̂ after projection, max over steps", certified[0], certified[1], Style.POINTS));
    s.add(new Series("final true max |score| of layer 1 (incl. data–data)", layer[0], layer[1], Style.POINTS));
    s.add(new Series("bound R = R_max", measured[0], measured[0], Style.BOUND));
    if (measured[2].length == 1 && measured[0].length > 0) {
      s.add(Series.horizontal("unconstrained, true max", measured[2][0], measured[0][0],
          measured[0][measured[0].length - 1], Style.REFERENCE));
    }
    return new FigureSpec("E9-constrained-range", "(vi) Exponent range kept under R_max", "R_max",
        "exponent range R", true, true, Double.NaN, s, "Every measured R sits on or under the dashed line R = R_max "
            + "(the projection's guarantee); data–data scores, which no prompt changes, set the floor of the layer's "
            + "range.");
  }

  /** A numeric artifact list (nulls as NaN). */
  static double[] nums(RunRecord r, String key) {
    if (!(r.artifacts().get(key) instanceof List<?> l)) return new double[0];
    return l.stream().mapToDouble(v -> v instanceof Number x ? x.doubleValue() : Double.NaN).toArray();
  }
}
