package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptlab.lab.Claim;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E6's figures and claims, from the stored runs; every [D] item is marked in its description. */
final class E6Report {
  private E6Report() {}

  static List<FigureSpec> figures(Results results) {
    List<FigureSpec> out = new ArrayList<>();
    out.add(errorVsDelta(results));
    out.add(precision(results));
    out.add(sizes(results));
    return out;
  }

  private static List<RunRecord> part(Results results, String part) {
    return results.where(r -> r.done() && part.equals(r.config().get("part")));
  }

  private static int intOf(RunRecord r, String key) {
    return ((Number) r.config().get(key)).intValue();
  }

  /** Median over trials of {@code metric} per δ (sorted by δ). */
  private static TreeMap<Double, Double> medianByDelta(List<RunRecord> runs, String metric) {
    TreeMap<Double, List<Double>> by = new TreeMap<>();
    for (RunRecord r : runs) by.computeIfAbsent(r.metric("delta"), k -> new ArrayList<>()).add(r.metric(metric));
    TreeMap<Double, Double> out = new TreeMap<>();
    by.forEach((k, v) -> out.put(k, Results.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
    return out;
  }

  private static Series series(String name, Map<Double, Double> m, Style style) {
    return new Series(name, m.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
        m.values().stream().mapToDouble(Double::doubleValue).toArray(), style);
  }

  private static FigureSpec errorVsDelta(Results results) {
    List<RunRecord> runs = part(results, "error");
    List<Series> s = new ArrayList<>();
    s.add(series("measured d_2, median over targets", medianByDelta(runs, "d_p"), Style.LINE));
    s.add(series("C·δ·(dL)^{1/p} (first order)", medianByDelta(runs, "first_order"), Style.REFERENCE));
    s.add(series("bound: first order + δ_out + FF1 ramps", medianByDelta(runs, "bound"), Style.BOUND));
    return new FigureSpec("E6-error-vs-delta", "d_p error vs grid width δ (d = 1, L = 2, p = 2)", "δ (grid width)",
        "d_2(τ([P_f̄,·]), f) (output units)", true, true, 1e-6, s,
        "One construction per random 1-Lipschitz target and δ (FF_2 and the map are f's own); Monte-Carlo d_2 over "
            + "uniform inputs. Slope 1 on log-log = first order in δ.");
  }

  private static FigureSpec precision(Results results) {
    List<Series> s = new ArrayList<>();
    for (String mode : new String[] {"family", "target"}) {
      for (int L : new int[] {1, 2}) {
        List<RunRecord> runs = part(results, "precision").stream().filter(r -> mode.equals(r.config().get("mode"))
            && intOf(r, "L") == L && r.metric("run") == 1).sorted((a, b) -> Double.compare(a.metric("context_ids"),
            b.metric("context_ids"))).toList();
        if (runs.isEmpty()) continue;
        double[] x = runs.stream().mapToDouble(r -> r.metric("context_ids")).toArray();
        String tag = (mode.equals("family") ? "whole family" : "one target") + ", L=" + L;
        s.add(new Series("min id gap, " + tag, x, runs.stream().mapToDouble(r -> r.metric("min_id_gap")).toArray(),
            Style.LINE));
        s.add(new Series("grid error, " + tag, x, runs.stream().mapToDouble(r -> Math.max(1e-18,
            r.metric("max_error"))).toArray(), Style.POINTS));
        s.add(new Series("slope·ulp(max id), " + tag, x, runs.stream().mapToDouble(r -> r.metric("slope_times_ulp"))
            .toArray(), Style.LINE));
      }
    }
    double[] xr = {1, 1e8};
    s.add(new Series("verification tolerance 1e-8", xr, new double[] {1e-8, 1e-8}, Style.BOUND));
    return new FigureSpec("E6b-precision", "The precision limit: id gap and grid error as the family grows",
        "context ids (count)", "gap / error (id units, output units)", true, true, 1e-18, s,
        "As ids crowd, the smallest gap falls and FF_2's slopes grow; one ulp of id error then costs slope·ulp in "
            + "the output. Float64 runs out where the grid error crosses 1e-8 (errors of 0 drawn at 1e-18).");
  }

  private static FigureSpec sizes(Results results) {
    List<Series> s = new ArrayList<>();
    for (int L : new int[] {1, 2, 4}) {
      List<RunRecord> runs = part(results, "sizes").stream().filter(r -> intOf(r, "d") == 1 && intOf(r, "L") == L)
          .sorted((a, b) -> Integer.compare(intOf(a, "levels"), intOf(b, "levels"))).toList();
      if (runs.isEmpty()) continue;
      double[] x = runs.stream().mapToDouble(r -> intOf(r, "levels")).toArray();
      s.add(new Series("Hu: log10 L_p, L=" + L, x, runs.stream().mapToDouble(r -> r.metric("log10_prompt_length"))
          .toArray(), Style.LINE));
      s.add(new Series("Wang: log10 (L_p+L)(1/ε)^d attention, L=" + L, x, runs.stream().mapToDouble(
          r -> r.metric("log10_wang_attention_order")).toArray(), Style.REFERENCE));
      s.add(new Series("Wang: log10 (1/ε)^{d(L_p+L)} FFN, L=" + L, x, runs.stream().mapToDouble(
          r -> r.metric("log10_wang_ffn_order")).toArray(), Style.REFERENCE));
    }
    return new FigureSpec("E6-sizes", "Sizes vs 1/ε (d = 1): Hu's one attention layer vs Wang's orders", "1/ε",
        "log10 of the count", true, true, 1e-3, s,
        "Hu et al.: 1 attention layer, 1 head, 2 FFN blocks, prompt L_p = L·(1/ε)^{dL}. Wang et al.: big-O orders "
            + "without constants (so these are growth rates, not layer counts). Full table in results/E6.csv.");
  }

  static List<Claim> claims(Results results) {
    return E6Claims.claims(results);
  }
}
