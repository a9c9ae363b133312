package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E4's figures: bounds and observed gain against D (largest m) and against m (largest D), medians over seeds. */
final class E4Figures {
  private E4Figures() {}

  static List<FigureSpec> figures(Results results) {
    List<RunRecord> paper = WangClaims.select(results, WangClaims.is("model", "paper"));
    double mMax = paper.stream().mapToDouble(r -> num(r, "m")).max().orElse(Double.NaN);
    double dMax = paper.stream().mapToDouble(r -> num(r, "radius")).max().orElse(Double.NaN);
    return List.of(
        sweep(paper, "radius", r -> num(r, "m") == mMax, "E4-gain-vs-radius", "token radius D (norm units)",
            "m = " + fmt(mMax)),
        sweep(paper, "m", r -> num(r, "radius") == dMax, "E4-gain-vs-length", "input length m (tokens)",
            "D = " + fmt(dMax)));
  }

  private static FigureSpec sweep(List<RunRecord> runs, String xKey, Predicate<RunRecord> at, String id, String xLabel,
      String fixed) {
    List<Series> series = new ArrayList<>();
    for (String[] metric : new String[][] {{"observed_gain", "observed (gradient ascent)"},
        {"bound_tight", "tight bound [D]"}, {"bound_spec", "spec bound (Lemma 6 form)"}}) {
      Map<Double, List<Double>> by = new TreeMap<>();
      for (RunRecord r : runs) {
        if (at.test(r)) by.computeIfAbsent(num(r, xKey), k -> new ArrayList<>()).add(r.metric(metric[0]));
      }
      double[] x = by.keySet().stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = by.values().stream().mapToDouble(l -> Results.median(l.stream().mapToDouble(v -> v).toArray()))
          .toArray();
      series.add(new Series(metric[1], x, y, metric[0].equals("observed_gain") ? Style.LINE : Style.BOUND));
    }
    return new FigureSpec(id, "Lipschitz gain in ‖·‖_{∞,2}, one-layer paper preset (" + fixed + ")", xLabel,
        "gain ‖Δτ‖_{∞,2}/‖ΔX‖_{∞,2} (ratio)", true, true, Double.NaN, series,
        "Median over seeds. The dashed bounds must stay above the measured line; their gap is the looseness of the "
            + "bound (spec form grows like D²).");
  }

  private static double num(RunRecord r, String key) {
    return ((Number) r.config().get(key)).doubleValue();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
