package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.theory.hu2025.InterpolationLookup;
import org.ptlab.theory.hu2025.LipschitzTargets;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.StaircaseQuantizer;
import org.ptlab.theory.hu2025.UniversalBuild;
import org.ptlab.theory.hu2025.UniversalConstruction;
import org.ptlab.theory.hu2025.UniversalResult;

/**
 * E6b, the precision limit: as the family grows (whole families at d = L = 1, or one target at finer δ), the context
 * ids crowd together: the minimum id gap shrinks and FF_2's slope Δy/gap grows, so an id error of one ulp moves the
 * output by slope·ulp(max id). We measure the gap, the slope, that predicted amplification and the actual grid error;
 * float64 "runs out" where the grid error exceeds the 1e-8 verification tolerance (and, worse, δ_out/2, where the
 * rounded output is a different function). Points whose predicted forward cost exceeds the budget are reported with
 * that cost and {@code run} = 0, never dropped. [D]: the ladder and the amplification estimate are ours.
 */
final class E6Precision {
  private E6Precision() {}

  static RunOutput run(RunContext ctx) {
    QuantizedFamily fam = E6Runs.family(ctx);
    boolean whole = ctx.stringParam("mode").equals("family");
    double members = whole ? fam.familySize().doubleValue() : 1;
    double ids = members * Math.pow(fam.levels(), fam.entries()) * fam.L();
    double n = fam.promptLength() + fam.L();
    double tokens = members * Math.pow(fam.levels(), fam.entries()) * n;
    double perToken = fam.d() * (StaircaseQuantizer.width(fam.d(), (int) Math.min(Integer.MAX_VALUE, n * fam.levels()))
        + ids);
    double flops = 2 * tokens * perToken * 2; // the probe forward and the verified forward
    Map<String, Object> m = E6Runs.familyMetrics(fam);
    m.put("members", members);
    m.put("context_ids", ids);
    m.put("predicted_flops", flops);
    m.put("predicted_seconds", flops / 1e9); // ~1 GFLOP/s for these scalar-heavy forwards on one core
    if (flops > ctx.doubleParam("flop_budget")) {
      m.put("run", 0);
      return new RunOutput(m, Map.of("not_run", "predicted cost " + String.format("%.3g", flops)
          + " flops exceeds the grid's budget"));
    }
    UniversalBuild b;
    double gridError;
    try {
      if (whole) {
        UniversalResult r = UniversalConstruction.family(fam);
        b = r.build();
        gridError = r.maxError();
      } else {
        UnaryOperator<double[]> f = LipschitzTargets.tanh(E6Runs.trialRng(ctx, 0), fam.entries(), E6Runs.LIPSCHITZ);
        b = UniversalConstruction.forTarget(fam, f);
        gridError = E6Runs.gridError(b, fam.table(f));
      }
    } catch (IllegalArgumentException e) { // a size the construction refuses, or ids it cannot separate
      m.put("run", 0);
      return new RunOutput(m, Map.of("not_run", e.getMessage()));
    }
    m.put("run", 1);
    InterpolationLookup.Lookup lookup = b.lookup();
    double maxId = maxAbsId(lookup);
    m.put("min_id_gap", lookup.minGap());
    m.put("max_abs_id", maxId);
    m.put("relative_gap", lookup.minGap() / maxId);
    m.put("max_slope", lookup.maxSlope());
    m.put("slope_times_ulp", lookup.maxSlope() * Math.ulp(maxId));
    m.put("max_error", gridError);
    m.put("verified", gridError <= UniversalConstruction.TOLERANCE ? 1 : 0);
    m.put("rounds_right", gridError < fam.deltaOut() / 2 ? 1 : 0);
    return RunOutput.of(m);
  }

  /** The largest |t_(i)|: FF_2's biases are −t_(i). */
  private static double maxAbsId(InterpolationLookup.Lookup lookup) {
    double m = 0;
    for (int i = 0; i < lookup.distinctIds(); i++) m = Math.max(m, Math.abs(lookup.weights().b1()[i]));
    return m;
  }

  static Map<String, Object> config(String mode, int d, int L, int levels, double budget) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("part", "precision");
    c.put("mode", mode);
    c.put("d", d);
    c.put("L", L);
    c.put("levels", levels);
    c.put("flop_budget", budget);
    c.put("trial", 0);
    return c;
  }
}
