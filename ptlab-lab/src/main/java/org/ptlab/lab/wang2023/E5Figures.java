package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.FigureSpec.Series;
import org.ptlab.lab.FigureSpec.Style;
import org.ptlab.lab.Results;

/** E5's figures: (a) row norm vs D0 and loss vs floor; (b) MiniLM's loss and prompt spectral norm per step. */
final class E5Figures {
  private E5Figures() {}

  static List<FigureSpec> figures(Results results) {
    return List.of(
        withLine(results, "contractive", "curve_row_norm", "certified_radius", "certified radius D0",
            new FigureSpec("E5a-prompt-norm", "(a) Contractive model, non-injective target: prompt row norm",
                "Adam step (count)", "max_j ‖p_j‖₂ (norm units)", false, false, Double.NaN, List.of(),
                "Median over seeds. Inside the dashed radius the certificate forbids loss below the floor of the "
                    + "next figure.")),
        withLine(results, "contractive", "curve_sse", "floor_sse", "certified floor (κ‖X1 − X2‖)²/2",
            new FigureSpec("E5a-loss", "(a) Contractive model, non-injective target: loss", "Adam step (count)",
                "summed squared error over both examples", false, true, WangFigures.FLOOR, List.of(),
                "Median over seeds; the floor applies only while the prompt is inside D0.")),
        withLine(results, "minilm", "curve_spectral_norm", null, null,
            new FigureSpec("E5b-minilm-prompt-norm", "(b) MiniLM memorizing random labels: prompt spectral norm",
                "optimizer step (count)", "‖P‖₂ (embedding units)", false, false, Double.NaN, List.of(),
                "Spectral norm of the soft prompt after each step (median over seeds).")),
        withLine(results, "minilm", "curve_loss", null, null,
            new FigureSpec("E5b-minilm-loss", "(b) MiniLM memorizing random labels: training loss",
                "optimizer step (count)", "cross-entropy (nats)", false, false, Double.NaN, List.of(),
                "Batch loss per step; the last point is the loss on all training sentences after training. "
                    + "Chance level is ln 2 ≈ 0.69.")));
  }

  private static FigureSpec withLine(Results results, String part, String key, String lineMetric, String lineName,
      FigureSpec f) {
    List<Series> series = new ArrayList<>(WangFigures.medianCurves(results, WangClaims.is("part", part), key,
        E5Figures::name));
    double y = lineMetric == null ? Double.NaN : WangClaims.bound(results, WangClaims.is("part", part), lineMetric);
    if (!Double.isNaN(y)) series.add(Series.horizontal(lineName, y, 0, WangFigures.xMax(series), Style.BOUND));
    return new FigureSpec(f.id(), f.title(), f.xLabel(), f.yLabel(), f.logX(), f.logY(), f.yFloor(), series,
        f.caption());
  }

  private static String name(Map<String, Object> c) {
    return "m_p=" + c.get("m_p") + ", lr " + c.get("lr");
  }
}
