package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** Figure helpers shared by E1–E5: median curves over the repeats of each config, and the x-range of curves. */
final class WangFigures {
  /** Exact fits end near float64 round-off; drawing below this would squeeze the plateaus (captions say so). */
  static final double FLOOR = 1e-16;

  private WangFigures() {}

  /**
   * One series per config selected by {@code which}: the median over its repeats of the artifact curve
   * {@code key} against {@code curve_step}, named by {@code name}.
   */
  static List<Series> medianCurves(Results results, Predicate<RunRecord> which, String key,
      Function<Map<String, Object>, String> name) {
    List<Series> out = new ArrayList<>();
    for (List<RunRecord> runs : results.byConfig()) {
      List<RunRecord> done = runs.stream().filter(RunRecord::done).filter(which).toList();
      if (done.isEmpty()) continue;
      double[] steps = WangClaims.numbers(done.get(0).artifacts().get("curve_step"));
      double[] median = new double[steps.length];
      for (int i = 0; i < steps.length; i++) {
        double[] at = new double[done.size()];
        for (int j = 0; j < done.size(); j++) {
          double[] c = WangClaims.numbers(done.get(j).artifacts().get(key));
          at[j] = i < c.length ? c[i] : Double.NaN;
        }
        median[i] = Results.median(at);
      }
      out.add(new Series(name.apply(done.get(0).config()), steps, median, Style.LINE));
    }
    return out;
  }

  /** The largest x of any series (1 when there is none), for bound lines across the plot. */
  static double xMax(List<Series> series) {
    double x = 1;
    for (Series s : series) for (double v : s.x()) x = Math.max(x, v);
    return x;
  }
}
