package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E10's figures: accuracy against trainable parameters, validation-loss curves, the prompt's norm. */
final class E10Figures {
  private E10Figures() {}

  static List<FigureSpec> figures(Results results) {
    return List.of(accuracyVsParams(results), validationCurves(results), promptNorms(results));
  }

  /** A readable name for a config: "prompt CLASS_LABELS m_p=20 lr=0.1 (to-imdb)". */
  static String label(RunRecord r, boolean withSplit) {
    Map<String, Object> c = r.config();
    StringBuilder sb = new StringBuilder(String.valueOf(c.get("method")));
    if (c.containsKey("init")) sb.append(' ').append(c.get("init"));
    if (c.containsKey("m_p")) sb.append(" m_p=").append(c.get("m_p"));
    if (c.containsKey("r")) sb.append(" r=").append(c.get("r"));
    sb.append(" lr=").append(c.get("lr"));
    if (withSplit) sb.append(" (").append(c.get("split")).append(')');
    return sb.toString();
  }

  static boolean severalSplits(Results results) {
    return results.done().stream().map(r -> r.config().get("split")).distinct().count() > 1;
  }

  /** Mean test accuracy of each config at its trainable-parameter count, one series per method. */
  private static FigureSpec accuracyVsParams(Results results) {
    Map<String, List<double[]>> byMethod = new LinkedHashMap<>();
    for (List<RunRecord> runs : results.byConfig()) {
      if (runs.isEmpty()) continue;
      RunRecord first = runs.get(0);
      double acc = Results.mean(Results.metric(runs, "test_accuracy"));
      byMethod.computeIfAbsent(String.valueOf(first.config().get("method")), k -> new ArrayList<>())
          .add(new double[] {first.metric("trainable_params"), acc});
    }
    List<Series> series = new ArrayList<>();
    byMethod.forEach((method, pts) -> series.add(new Series(method, pts.stream().mapToDouble(p -> p[0]).toArray(),
        pts.stream().mapToDouble(p -> p[1]).toArray(), Style.POINTS)));
    if (!series.isEmpty()) {
      double xmin = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).min().orElse(1);
      double xmax = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).max().orElse(1);
      series.add(Series.horizontal("chance (balanced classes)", 0.5, xmin, xmax, Style.REFERENCE));
    }
    return new FigureSpec("E10-accuracy-vs-params", "Test accuracy vs trainable parameters (MiniLM, sentiment)",
        "trainable parameters (count, incl. the 770-parameter head)", "test accuracy (fraction)", true, false,
        Double.NaN, series,
        "Each point is one config (mean over seeds) on the held-out site. Prompt tuning's budget is m_p·384 plus the "
            + "head; LoRA's 2·6·2·r·384 plus the head; full fine-tuning trains all 22.7 M.");
  }

  /** Validation loss before training and after each epoch, one line per config (first seed). */
  private static FigureSpec validationCurves(Results results) {
    boolean splits = severalSplits(results);
    List<Series> series = new ArrayList<>();
    for (List<RunRecord> runs : results.byConfig()) {
      if (runs.isEmpty()) continue;
      RunRecord r = runs.get(0);
      double[] x = numbers(r.artifacts().get("curve_step"));
      double[] y = numbers(r.artifacts().get("curve_val_loss"));
      if (x.length > 0 && x.length == y.length) series.add(new Series(label(r, splits), x, y, Style.LINE));
    }
    return new FigureSpec("E10-validation-loss", "Validation loss during training", "optimizer step",
        "validation cross-entropy (nats)", false, false, Double.NaN, series,
        "Loss on the held-out tenth of the training sites, before training (step 0) and three times per epoch; "
            + "first seed of each config.");
  }

  /** ‖P‖₂ over training, one line per prompt config (first seed): Wang et al. §7.3. */
  private static FigureSpec promptNorms(Results results) {
    boolean splits = severalSplits(results);
    List<Series> series = new ArrayList<>();
    for (List<RunRecord> runs : results.byConfig()) {
      if (runs.isEmpty() || !"prompt".equals(runs.get(0).config().get("method"))) continue;
      RunRecord r = runs.get(0);
      double[] x = numbers(r.artifacts().get("curve_step"));
      double[] y = numbers(r.artifacts().get("curve_prompt_norm"));
      if (x.length > 0 && x.length == y.length) series.add(new Series(label(r, splits), x, y, Style.LINE));
    }
    return new FigureSpec("E10-prompt-norm", "Spectral norm of the soft prompt during training", "optimizer step",
        "‖P‖₂ (largest singular value)", false, true, Double.NaN, series,
        "Wang et al. (§7.3) observe the prompt's norm growing as prompt tuning fits its data; here at the same points "
            + "as the validation curve, first seed of each prompt config.");
  }

  static double[] numbers(Object list) {
    if (!(list instanceof List<?> l)) return new double[0];
    return l.stream().mapToDouble(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
  }
}
