package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E7's figures: softmax vs hardmax as λ grows, and d_2 to Lipschitz targets next to the terms of its bound. */
final class E7Figures {
  /** Differences of exactly 0 are drawn here (log axis). */
  private static final double FLOOR = 1e-17;

  private E7Figures() {}

  static List<FigureSpec> figures(Results results) {
    return List.of(softmaxVsLambda(results), distance(results));
  }

  private static FigureSpec softmaxVsLambda(Results results) {
    List<RunRecord> runs = E7Claims.part(results, "softmax").stream()
        .sorted(Comparator.comparingDouble(E7Figures::lambda)).toList();
    double[] x = runs.stream().mapToDouble(E7Figures::lambda).toArray();
    List<Series> s = new ArrayList<>();
    s.add(new Series("max |softmax − hardmax|", x, floored(runs, "max_diff_hardmax"), Style.LINE));
    s.add(new Series("max |softmax − f̄|", x, floored(runs, "max_error_target"), Style.LINE));
    if (x.length > 0) {
      s.add(Series.horizontal("hardmax's own error (float64 rounding)", Math.max(FLOOR,
          runs.get(0).metric("hardmax_max_error")), x[0], x[x.length - 1], Style.REFERENCE));
      s.add(Series.horizontal("match target 1e-8", E7Claims.MATCH, x[0], x[x.length - 1], Style.BOUND));
    }
    for (RunRecord m : E7Claims.part(results, "match")) {
      double l = m.metric("lambda_match");
      if (!Double.isNaN(l)) s.add(new Series("λ where softmax matches to 1e-8", new double[] {l, l},
          new double[] {FLOOR, 1}, Style.REFERENCE));
    }
    return new FigureSpec("E7-softmax-vs-lambda", "Softmax → hardmax as the score scale λ grows (δ = 1/4, 256 functions)",
        "λ (score scale, scoreScale)", "max output difference (output units)", true, true, FLOOR, s,
        "Same weights, softmax attention with every score × λ, over all members and 3 off-boundary points per cell. "
            + "Differences of exactly 0 are drawn at 1e-17. [D]");
  }

  static double lambda(RunRecord r) {
    return ((Number) r.config().get("lambda")).doubleValue();
  }

  private static double[] floored(List<RunRecord> runs, String metric) {
    return runs.stream().mapToDouble(r -> Math.max(FLOOR, r.metric(metric))).toArray();
  }

  private static FigureSpec distance(Results results) {
    List<RunRecord> runs = E7Claims.part(results, "distance").stream()
        .sorted(Comparator.comparingInt(r -> ((Number) r.config().get("trial")).intValue())).toList();
    double[] x = runs.stream().mapToDouble(r -> ((Number) r.config().get("trial")).doubleValue()).toArray();
    List<Series> s = new ArrayList<>();
    s.add(new Series("measured d_2(τ([P_f̄,·]), f)", x, Results.metric(runs, "d_p"), Style.POINTS));
    s.add(new Series("d_2 to f̄ (quantizer ramps only)", x, Results.metric(runs, "d_p_to_quantized"), Style.POINTS));
    if (x.length > 0) {
      double x0 = x[0];
      double x1 = Math.max(x[x.length - 1], x0 + 1);
      RunRecord r0 = runs.get(0);
      s.add(Series.horizontal("Lδ(dm)^{1/p}", r0.metric("lipschitz_term"), x0, x1, Style.REFERENCE));
      s.add(Series.horizontal("bound (Lδ + δ_out)(dm)^{1/p} + ramps", r0.metric("bound"), x0, x1, Style.BOUND));
      s.add(Series.horizontal("spec's ε (vacuous: ≥ 1)", r0.metric("spec_eps"), x0, x1, Style.REFERENCE));
    }
    return new FigureSpec("E7-distance", "d_2 to random 1-Lipschitz targets (d = m = 1, δ = 1/4, p = 2)",
        "target (trial index)", "d_2 (output units)", false, false, Double.NaN, s,
        "Each point is one random f(x) = ½ + ½·tanh(±2x + b) and its quantized member's prompt; Monte Carlo over "
            + "uniform x. The spec's ε = 6Lδ(dm)^{1/p} = 1.5 exceeds the largest possible d_2 (1). [D]");
  }
}
