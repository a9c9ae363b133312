package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E8's figure: capacity vs m_p per model, with the counting bound for quantized prompts and a linear reference. */
final class E8Figures {
  /** Capacities of 0 are drawn here (log axis). */
  private static final double FLOOR = 0.5;

  private E8Figures() {}

  static List<FigureSpec> figures(Results results) {
    List<FigureSpec> out = new ArrayList<>();
    Map<String, TreeMap<Integer, List<RunRecord>>> groups = E8Claims.groups(results);
    List<Series> s = new ArrayList<>();
    boolean several = groups.size() > 1;
    groups.forEach((key, g) -> s.addAll(group(several ? " (" + key + ")" : "", g)));
    out.add(new FigureSpec("E8-capacity-vs-prompt-length", "Memorization capacity of prompt tuning vs prompt length",
        "prompt length m_p (tokens)", "largest dataset fit to tolerance (examples)", true, true, FLOOR, s,
        "Random one-layer paper-preset models, random inputs and random labels (one of K reachable targets each); capacity by Adam with "
            + "doubling then bisection (points: seeds; line: median). The counting bound holds for prompts on a δ_P "
            + "grid only: real-valued prompts admit none. Capacities of 0 are drawn at 0.5; the search stops at n_max."));
    return out;
  }

  private static List<Series> group(String tag, TreeMap<Integer, List<RunRecord>> g) {
    List<Series> s = new ArrayList<>();
    List<double[]> seeds = new ArrayList<>();
    g.forEach((mp, runs) -> runs.forEach(r -> seeds.add(new double[] {mp, Math.max(FLOOR, r.metric("capacity"))})));
    double[] x = g.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
    s.add(new Series("capacity, each seed" + tag, seeds.stream().mapToDouble(p -> p[0]).toArray(),
        seeds.stream().mapToDouble(p -> p[1]).toArray(), Style.POINTS));
    s.add(new Series("capacity, median" + tag, x, medians(g, "capacity"), Style.LINE));
    s.add(new Series("quantized prompt, median" + tag, x, medians(g, "capacity_quantized"), Style.LINE));
    s.add(new Series("counting bound, quantized prompts: d·m_p·log2 V / label bits" + tag, x,
        g.values().stream().mapToDouble(v -> v.get(0).metric("counting_bound_n")).toArray(), Style.BOUND));
    double slope = E8Claims.slopeThroughOrigin(E8Claims.uncensoredMedians(g));
    if (!Double.isNaN(slope)) {
      s.add(new Series(String.format("linear reference %.2f·m_p (least squares, Meyer et al.)", slope) + tag, x,
          g.keySet().stream().mapToDouble(mp -> slope * mp).toArray(), Style.REFERENCE));
    }
    if (x.length > 0) {
      double nMax = ((Number) g.firstEntry().getValue().get(0).config().get("n_max")).doubleValue();
      s.add(Series.horizontal("search ceiling n_max" + tag, nMax, x[0], x[x.length - 1], Style.REFERENCE));
    }
    return s;
  }

  private static double[] medians(TreeMap<Integer, List<RunRecord>> g, String metric) {
    return g.values().stream().mapToDouble(v -> Math.max(FLOOR, Results.median(Results.metric(v, metric)))).toArray();
  }
}
