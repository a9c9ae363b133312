package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E1's figures: loss curves with the certified bound as a line, and the best prompt loss per prompt length. */
final class E1Figures {
  private E1Figures() {}

  static List<FigureSpec> figures(Results results, double fit) {
    return List.of(curves(results, fit), perLength(results));
  }

  /**
   * One curve per prompt length (its run with the least loss, over inits, lrs and seeds: the strongest attack on the
   * bound), the trained weight updates, the bound and the ≈ 0 target.
   */
  private static FigureSpec curves(Results results, double fit) {
    Map<Integer, RunRecord> bestPerLength = new TreeMap<>();
    for (RunRecord r : WangClaims.select(results, WangClaims.is("method", "prompt"))) {
      int m = ((Number) r.config().get("m_p")).intValue();
      RunRecord b = bestPerLength.get(m);
      if (b == null || r.metric("best_loss") < b.metric("best_loss")) bestPerLength.put(m, r);
    }
    List<Series> series = new ArrayList<>();
    for (RunRecord r : bestPerLength.values()) series.add(curve(r, "prompt m_p=" + r.config().get("m_p")
        + " (best of its inits/lrs)"));
    for (RunRecord r : WangClaims.select(results, x -> List.of("lora", "full").contains(x.config().get("method")))) {
      series.add(curve(r, name(r.config())));
    }
    double xmax = WangFigures.xMax(series);
    double bound = bound(results);
    if (!Double.isNaN(bound)) {
      series.add(Series.horizontal("certified bound, any prompt of any length", bound, 0, xmax, Style.BOUND));
    }
    series.add(Series.horizontal("≈ 0 target " + fit, fit, 0, xmax, Style.REFERENCE));
    return new FigureSpec("E1-loss-curves", "Shared-token dataset: training curves against the certified bound",
        "Adam step (count)", "training MSE over positions·d (eval units)", false, true, WangFigures.FLOOR, series,
        "Per prompt length, the run (init, lr, seed) that got lowest. Every prompt curve flattens on or above the "
            + "dashed bound; LoRA (rank 2, mlp_out) and full fine-tuning fall towards 0, as does the exact ΔW2 = R·H⁺ "
            + "without training (table). Values below 1e-16 drawn at 1e-16.");
  }

  private static Series curve(RunRecord r, String name) {
    return new Series(name, WangClaims.numbers(r.artifacts().get("curve_step")),
        WangClaims.numbers(r.artifacts().get("curve_loss")), Style.LINE);
  }

  /** min over inits, lrs and seeds of the best loss, per prompt length. */
  private static FigureSpec perLength(Results results) {
    Map<Integer, Double> best = new TreeMap<>();
    for (RunRecord r : WangClaims.select(results, WangClaims.is("method", "prompt"))) {
      best.merge(((Number) r.config().get("m_p")).intValue(), r.metric("best_loss"), Math::min);
    }
    List<Series> series = new ArrayList<>();
    double[] x = best.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
    series.add(new Series("prompt tuning, least loss over inits, lrs, seeds", x,
        best.values().stream().mapToDouble(Double::doubleValue).toArray(), Style.LINE));
    double bound = bound(results);
    if (x.length > 0 && !Double.isNaN(bound)) {
      series.add(Series.horizontal("certified bound (no dependence on m_p)", bound, x[0], x[x.length - 1], Style.BOUND));
    }
    return new FigureSpec("E1-best-vs-prompt-length", "Least prompt-tuning loss per prompt length",
        "prompt length m_p (tokens)", "least training MSE (eval units)", true, true, Double.NaN, series,
        "The bound holds for every length at once; a longer prompt does not help.");
  }

  private static double bound(Results results) {
    return results.done().isEmpty() ? Double.NaN : results.done().get(0).metric("bound_loss");
  }

  private static String name(Map<String, Object> c) {
    return switch (String.valueOf(c.get("method"))) {
      case "prompt" -> "prompt m_p=" + c.get("m_p") + " init ±" + c.get("init_scale") + " lr " + c.get("lr");
      case "lora" -> "LoRA r=" + c.get("rank") + " on mlp_out, lr " + c.get("lr");
      default -> "full fine-tuning, lr " + c.get("lr");
    };
  }
}
