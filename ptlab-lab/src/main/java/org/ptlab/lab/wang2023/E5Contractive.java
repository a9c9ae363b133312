package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.theory.SpectralNorms;
import org.ptlab.theory.wang2023.ObservedGain;
import org.ptlab.theory.wang2023.ResidualFixedPointInverse;
import org.ptlab.tuning.prompt.PromptTuning;

/**
 * E5a: E3's contractive causal model and non-injective dataset (X1 ≠ X2 → one Y), prompt tuning WITHOUT the ball
 * constraint. The invertibility theorem says: inside the certified radius D0 every prompt keeps the summed squared
 * error ≥ (κ‖X1 − X2‖)²/2 =: floor; so a prompt that goes below the floor must have a row outside the ball. Recorded
 * after every step: the prompt's largest row norm (the certificate's radius is on rows), its spectral norm, the loss
 * and the separation ratio of the two inputs.
 */
final class E5Contractive {
  private E5Contractive() {}

  static RunOutput run(RunContext ctx, E5Point p) {
    E3InvertibilityExperiment.Setup s = E3InvertibilityExperiment.setup(ctx.taskRng());
    int m = E3InvertibilityExperiment.TOKENS;
    int d = E3InvertibilityExperiment.D_MODEL;
    double[][][] x = s.inputs();
    Dataset data = ArrayTuning.dataset("E5a non-injective", x, new double[][][] {s.commonTarget(), s.commonTarget()});
    double[] x1 = E3InvertibilityExperiment.tensor(x[0]).toDoubleArray();
    double[] x2 = E3InvertibilityExperiment.tensor(x[1]).toDoubleArray();
    double dist = ObservedGain.infTwo(ResidualFixedPointInverse.difference(x1, x2), d);
    PromptTuning prompt = ArrayTuning.prompt(s.model(), p.promptLength(), 0.3, ctx.rng());
    List<Double> rowNorm = new ArrayList<>();
    List<Double> spectral = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    Runnable record = () -> {
      double[][] rows = ArrayTuning.rows(prompt.prompt());
      rowNorm.add(ObservedGain.infTwo(prompt.prompt().toDoubleArray(), d));
      spectral.add(SpectralNorms.of(rows));
      ratio.add(ObservedGain.gain(ObservedGain.model(s.model(), prompt.prompt().detach()), x1, x2, m, d));
    };
    record.run(); // P_0
    ArrayTuning.Outcome out = ArrayTuning.train(s.model(), prompt, data, p.steps(), p.lr(), ctx.seed(),
        (step, loss) -> record.run());
    double[] sse = out.curve().clone(); // loss of P_k, paired with the norms of P_k
    for (int k = 0; k < sse.length; k++) sse[k] *= 2.0 * m * d; // eval MSE → summed squared error
    Map<String, Object> metrics = metrics(sse, rowNorm, Math.pow(s.cert().kappa() * dist, 2) / 2);
    metrics.put("kappa", s.cert().kappa());
    metrics.put("final_spectral_norm", spectral.get(spectral.size() - 1));
    metrics.put("min_ratio", ratio.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    Map<String, Object> a = ArrayTuning.sampled("curve_sse", sse, E3InvertibilityExperiment.CURVE_POINTS);
    a.putAll(sampledAt(a, "curve_row_norm", rowNorm));
    a.putAll(sampledAt(a, "curve_spectral_norm", spectral));
    return new RunOutput(metrics, a);
  }

  /** The per-step test of the theorem's contrapositive, and where the prompt left the ball. */
  private static Map<String, Object> metrics(double[] sse, List<Double> rowNorm, double floor) {
    double d0 = E3InvertibilityExperiment.RADIUS;
    int insideBelow = 0;
    int firstOutside = -1;
    for (int k = 0; k < sse.length; k++) {
      if (sse[k] < floor && rowNorm.get(k) <= d0) insideBelow++;
      if (firstOutside < 0 && rowNorm.get(k) > d0) firstOutside = k;
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("floor_sse", floor);
    metrics.put("certified_radius", d0);
    metrics.put("initial_row_norm", rowNorm.get(0));
    metrics.put("final_row_norm", rowNorm.get(rowNorm.size() - 1));
    metrics.put("first_step_outside", firstOutside);
    metrics.put("best_sse", min(sse));
    metrics.put("final_sse", sse[sse.length - 1]);
    metrics.put("steps_inside_ball_below_floor", insideBelow);
    return metrics;
  }

  /** {@code values} at the steps already sampled into {@code a}'s curve_step. */
  static Map<String, Object> sampledAt(Map<String, Object> a, String key, List<Double> values) {
    List<Double> out = new ArrayList<>();
    for (double step : WangClaims.numbers(a.get("curve_step"))) out.add(values.get((int) step));
    return Map.of(key, out);
  }

  private static double min(double[] xs) {
    double b = Double.POSITIVE_INFINITY;
    for (double v : xs) b = Math.min(b, v);
    return b;
  }
}
