package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E3's figures: prompt-tuning curves against the κ bound, and inversion error per iteration against its bound. */
final class E3Figures {
  private E3Figures() {}

  static List<FigureSpec> figures(Results results) {
    return List.of(training(results), inversion(results));
  }

  private static FigureSpec training(Results results) {
    List<Series> series = new ArrayList<>(WangFigures.medianCurves(results,
        r -> !"inversion".equals(r.config().get("kind")), "curve_sse",
        c -> c.get("kind") + " target, lr " + c.get("lr")));
    double xmax = WangFigures.xMax(series);
    double bound = WangClaims.bound(results, WangClaims.is("kind", "non-injective"), "bound_sse");
    if (!Double.isNaN(bound)) {
      series.add(Series.horizontal("(κ‖X1 − X2‖)²/2, certified floor", bound, 0, xmax,
          Style.BOUND));
    }
    return new FigureSpec("E3-prompt-tuning", "Prompt tuning on a contractive causal 3-layer model", "Adam step (count)",
        "summed squared error over both examples", false, true, WangFigures.FLOOR, series,
        "Median over seeds. The non-injective curve must stay above the dashed floor (which is tiny: κ = 1.25e-4); "
            + "the control, made by a hidden prompt, goes lower.");
  }

  private static FigureSpec inversion(Results results) {
    List<Series> series = new ArrayList<>();
    List<RunRecord> runs = WangClaims.select(results, WangClaims.is("kind", "inversion"));
    if (!runs.isEmpty()) {
      RunRecord r = runs.get(0);
      for (String branch : new String[] {"att_0", "mlp_0"}) {
        double[] err = WangClaims.numbers(r.artifacts().get("error_" + branch));
        double[] bound = WangClaims.numbers(r.artifacts().get("bound_" + branch));
        double[] k = new double[err.length];
        for (int i = 0; i < k.length; i++) k[i] = i;
        String name = branch.startsWith("att") ? "attention branch, layer 0" : "MLP branch, layer 0";
        series.add(new Series(name + ": error", k, err, Style.LINE));
        series.add(new Series(name + ": L^k/(1−L)·‖z1 − z0‖", k, bound, Style.BOUND));
      }
    }
    return new FigureSpec("E3-inversion", "Fixed-point inversion z ← y − F(z): error per iteration vs its bound",
        "iteration k (count)", "‖z_k − z*‖_{∞,2} (norm units)", false, true, WangFigures.FLOOR, series,
        "First seed. Each error curve must stay under its dashed bound (L = 0.9 for attention, 0.5 for the MLP); "
            + "errors below 1e-16 are drawn at 1e-16.");
  }
}
