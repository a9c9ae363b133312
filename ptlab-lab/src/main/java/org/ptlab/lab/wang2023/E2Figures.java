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

/** E2's figure: final loss vs trainable parameters per n, with the m_p ≥ n line and the Eckart–Young bound. */
final class E2Figures {
  private E2Figures() {}

  static List<FigureSpec> figures(Results results) {
    List<FigureSpec> out = new ArrayList<>();
    List<Integer> ns = results.done().stream().map(r -> ((Number) r.config().get("n")).intValue()).distinct().sorted()
        .toList();
    for (int n : ns) out.add(forN(results, n));
    if (out.isEmpty()) out.add(forN(results, 0)); // an empty figure rather than none
    return out;
  }

  private static FigureSpec forN(Results results, int n) {
    List<RunRecord> runs = results.done().stream().filter(r -> ((Number) r.config().get("n")).intValue() == n).toList();
    List<Series> series = new ArrayList<>();
    series.add(line(runs, "prompt", "final_loss", "prompt tuning (m_p·d params)", Style.LINE));
    series.add(line(runs, "lora", "final_loss", "LoRA mlp_out (k(d + r) params)", Style.LINE));
    series.add(line(runs, "exact", "final_loss", "exact ΔW2 = R·H⁺, rank n", Style.POINTS));
    series.add(line(runs, "prompt", "bound_loss", "Eckart–Young bound [D]", Style.BOUND));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double y : s.y()) {
        if (y > 0) {
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
      }
    }
    if (!runs.isEmpty() && lo <= hi) {
      double x = (double) n * ((Number) runs.get(0).config().get("d")).intValue();
      series.add(new Series("m_p = n (necessary only)", new double[] {x, x},
          new double[] {Math.max(lo, WangFigures.FLOOR), hi}, Style.REFERENCE));
    }
    return new FigureSpec("E2-loss-vs-params-n" + n, "n = " + n + " single-token examples: final loss vs trainable "
        + "parameters", "trainable parameters (count, as computed)", "final MSE over positions·d (eval units)", true,
        true, WangFigures.FLOOR, series,
        "Median final loss over seeds; parameter counts are what the tuned model counts. Prompts stay above the dashed "
            + "Eckart–Young bound; the dotted vertical line m_p = n is only a necessary condition. Values below 1e-16 "
            + "drawn at 1e-16.");
  }

  /** Median of {@code metric} per parameter count, for the runs of one method. */
  private static Series line(List<RunRecord> runs, String method, String metric, String name, Style style) {
    Map<Double, List<Double>> by = new TreeMap<>();
    for (RunRecord r : runs) {
      if (!method.equals(r.config().get("method")) || Double.isNaN(r.metric(metric))) continue;
      by.computeIfAbsent(r.metric("trainable_params"), k -> new ArrayList<>()).add(r.metric(metric));
    }
    double[] x = by.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    double[] y = by.values().stream().mapToDouble(l -> Results.median(l.stream().mapToDouble(v -> v).toArray()))
        .toArray();
    return new Series(name, x, y, style);
  }
}
