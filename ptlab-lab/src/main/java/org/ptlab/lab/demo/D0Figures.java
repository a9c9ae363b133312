package org.ptlab.lab.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** D0's figures: final loss vs trainable parameters, and loss curves; both log-y with the 1e-3 target drawn. */
final class D0Figures {
  /** An exact fit ends near 1e-31 (float64 round-off); drawing 30 empty decades would squeeze the rest. The
   * captions say "1e-16": keep them in step. */
  static final double FLOOR = 1e-16;

  private D0Figures() {}

  /** Keeps about {@code points} evenly spaced entries of a curve (always the first and last) as artifacts. */
  static Map<String, Object> sampledCurve(double[] curve, int points) {
    List<Integer> steps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    int n = curve.length;
    int stride = Math.max(1, (int) Math.ceil((n - 1) / (double) (points - 1)));
    for (int i = 0; i < n; i += stride) {
      steps.add(i);
      values.add(curve[i]);
    }
    if (steps.get(steps.size() - 1) != n - 1) {
      steps.add(n - 1);
      values.add(curve[n - 1]);
    }
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("curve_step", steps);
    a.put("curve_mse", values);
    return a;
  }

  static List<FigureSpec> figures(Results results, double fit) {
    List<List<RunRecord>> configs = results.byConfig().stream().filter(l -> !l.isEmpty()).toList();
    boolean severalD = configs.stream().map(l -> l.get(0).config().get("d")).distinct().count() > 1;
    return List.of(lossVsParams(results, configs, severalD, fit), curves(configs, severalD, fit));
  }

  /** Median final MSE per config against its trainable parameter count, one line per method (and d). */
  private static FigureSpec lossVsParams(Results results, List<List<RunRecord>> configs, boolean severalD,
      double fit) {
    Map<String, List<double[]>> lines = new LinkedHashMap<>();
    for (List<RunRecord> runs : configs) {
      RunRecord first = runs.get(0);
      String name = (first.config().get("method").equals("prompt") ? "prompt tuning" : "LoRA on W_q, W_v")
          + (severalD ? " (d=" + first.config().get("d") + ")" : "");
      double median = Results.median(Results.metric(runs, "final_mse"));
      lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {first.metric("trainable_params"), median});
    }
    List<Series> series = new ArrayList<>();
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
      List<double[]> pts = e.getValue();
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
      for (double v : x) {
        xmin = Math.min(xmin, v);
        xmax = Math.max(xmax, v);
      }
      series.add(new Series(e.getKey() + ", median", x, y, Style.LINE));
    }
    if (xmin <= xmax) {
      series.add(Series.horizontal("target MSE " + fit + " (claim at m_p = m_p*)", fit, xmin, xmax, Style.BOUND));
      double base = Results.median(Results.metric(results.done(), "base_mse"));
      series.add(Series.horizontal("frozen model, no prompt", base, xmin, xmax, Style.REFERENCE));
    }
    return new FigureSpec("D0-loss-vs-params", "Final loss vs trainable parameters", "trainable parameters (count)",
        "final training MSE (squared output units)", false, true, FLOOR, series,
        "Median over seeds of the final full-batch MSE (values below 1e-16, i.e. exact fits at float64 "
            + "round-off, are drawn at 1e-16); dashed: the fitting claim's bound; dotted: the untuned model.");
  }

  /** The median loss curve of each config. */
  private static FigureSpec curves(List<List<RunRecord>> configs, boolean severalD, double fit) {
    List<Series> series = new ArrayList<>();
    double xmax = 1;
    for (List<RunRecord> runs : configs) {
      Map<String, Object> cfg = runs.get(0).config();
      String name = cfg.get("method").equals("prompt") ? "prompt m_p=" + cfg.get("m_p") : "LoRA r=" + cfg.get("r");
      if (severalD) name += " d=" + cfg.get("d");
      double[] steps = numbers(runs.get(0).artifacts().get("curve_step"));
      double[] median = new double[steps.length];
      for (int i = 0; i < steps.length; i++) {
        double[] at = new double[runs.size()];
        for (int j = 0; j < runs.size(); j++) {
          double[] c = numbers(runs.get(j).artifacts().get("curve_mse"));
          at[j] = i < c.length ? c[i] : Double.NaN;
        }
        median[i] = Results.median(at);
      }
      if (steps.length > 0) xmax = Math.max(xmax, steps[steps.length - 1]);
      series.add(new Series(name, steps, median, Style.LINE));
    }
    series.add(Series.horizontal("target MSE " + fit, fit, 0, xmax, Style.BOUND));
    return new FigureSpec("D0-loss-curves", "Training curves (median over seeds)", "Adam step (count)",
        "training MSE (squared output units)", false, true, FLOOR, series,
        "Full-batch MSE after each step (drawn at 1e-16 below it); prompt tuning at the teacher's length "
            + "should fall below the dashed line.");
  }

  private static double[] numbers(Object list) {
    if (!(list instanceof List<?> l)) return new double[0];
    return l.stream().mapToDouble(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
  }
}
