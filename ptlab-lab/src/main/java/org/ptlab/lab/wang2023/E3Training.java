package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.wang2023.ObservedGain;
import org.ptlab.theory.wang2023.ResidualFixedPointInverse;
import org.ptlab.tuning.prompt.PromptTuning;

/**
 * E3's training runs: prompt tuning (PTLab's trainer, prompt rows projected into the certified ball after every
 * step) on the non-injective dataset or the control, recording after every step the separation ratio
 * ‖τ_P(X1) − τ_P(X2)‖_{∞,2}/‖X1 − X2‖_{∞,2} of the current prompt.
 */
final class E3Training {
  private E3Training() {}

  static RunOutput run(RunContext ctx, E3Point p, E3InvertibilityExperiment.Setup s) {
    int m = E3InvertibilityExperiment.TOKENS;
    int d = E3InvertibilityExperiment.D_MODEL;
    double[][][] x = s.inputs();
    double[][][] y = new double[2][][];
    if (p.kind().equals("non-injective")) {
      y[0] = s.commonTarget();
      y[1] = s.commonTarget();
    } else {
      try (GradMode.Scope g = GradMode.noGrad()) {
        for (int i = 0; i < 2; i++) {
          y[i] = ArrayTuning.rows(ObservedGain.model(s.model(), s.hiddenPrompt()).apply(E3InvertibilityExperiment.tensor(x[i])));
        }
      }
    }
    Dataset data = ArrayTuning.dataset("E3 " + p.kind(), x, y);
    double[] x1 = E3InvertibilityExperiment.tensor(x[0]).toDoubleArray();
    double[] x2 = E3InvertibilityExperiment.tensor(x[1]).toDoubleArray();
    double dist = ObservedGain.infTwo(ResidualFixedPointInverse.difference(x1, x2), d);
    PromptTuning prompt = ArrayTuning.prompt(s.model(), E3InvertibilityExperiment.PROMPT, 0.3, ctx.rng());
    List<Double> ratios = new ArrayList<>();
    ArrayTuning.Outcome out = ArrayTuning.train(s.model(), prompt, data, p.steps(), p.lr(), ctx.seed(),
        (step, loss) -> ratios.add(ratio(s, prompt, x1, x2, m, d)),
        ArrayTuning.promptBall(E3InvertibilityExperiment.RADIUS));
    double scale = 2.0 * m * d; // eval MSE → summed squared error over both examples
    double kappa = s.cert().kappa();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("best_loss", out.best());
    metrics.put("best_sse", out.best() * scale);
    metrics.put("final_sse", out.last() * scale);
    metrics.put("initial_sse", out.initial() * scale);
    metrics.put("bound_sse", Math.pow(kappa * dist, 2) / 2);
    metrics.put("bound_sse_tight", Math.pow(s.cert().kappaTight() * dist, 2) / 2);
    metrics.put("kappa", kappa);
    metrics.put("kappa_tight", s.cert().kappaTight());
    metrics.put("input_distance", dist);
    metrics.put("min_ratio", ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    metrics.put("max_prompt_row_norm", maxRowNorm(prompt.prompt()));
    double[] sse = out.curve().clone();
    for (int i = 0; i < sse.length; i++) sse[i] *= scale;
    return new RunOutput(metrics, ArrayTuning.sampled("curve_sse", sse, E3InvertibilityExperiment.CURVE_POINTS));
  }

  private static double ratio(E3InvertibilityExperiment.Setup s, PromptTuning prompt, double[] x1, double[] x2, int m,
      int d) {
    return ObservedGain.gain(ObservedGain.model(s.model(), prompt.prompt().detach()), x1, x2, m, d);
  }

  private static double maxRowNorm(Tensor p) {
    double best = 0;
    for (double[] row : ArrayTuning.rows(p)) {
      double s = 0;
      for (double v : row) s += v * v;
      best = Math.max(best, Math.sqrt(s));
    }
    return best;
  }
}
