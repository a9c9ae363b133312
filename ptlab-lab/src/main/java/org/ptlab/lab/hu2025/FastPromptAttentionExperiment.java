package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.ClaimResult;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.random.Rng;

/**
 * E9: fast prompt attention and its phase transition (Hu et al. 2025 §3; spec hu2025.md §4, checks A4, B1–B3, C2).
 * Six parts, one config each (the part's sweep runs inside one run so its timings share conditions):
 * <ol>
 *   <li>{@code degree}: error vs degree g for Taylor and Chebyshev, with the certificates and the 1/poly(n) target;
 *   <li>{@code time}: time vs n, exact against polynomial, both log-log slopes and the crossover;
 *   <li>{@code transition}: degree, rank and time as the entry bound B sweeps across √ln n;
 *   <li>{@code gradient}: the same for the almost-linear gradient, and its slope in n;
 *   <li>{@code random-features}: FAVOR+ at the polynomial method's rank;
 *   <li>{@code constrained}: the loss and accuracy cost of norm-constrained prompt tuning (R ≤ R_max after every
 *       step) on a small planted classification task ({@link E9Constrained}).
 * </ol>
 * Everything but the wall-clock times is a function of the task seed. Points that would not fit the grid's time
 * budget are reported with their predicted cost as "not run".
 */
public final class FastPromptAttentionExperiment implements Experiment {
  @Override
  public String id() {
    return "E9";
  }

  @Override
  public String title() {
    return "Fast prompt attention: the polynomial method in almost linear time, and its phase transition";
  }

  @Override
  public String paper() {
    return "Hu et al. 2025 §3 (Thms 3.1/3.2); spec hu2025.md §4, checks A4, B1–B3, C1–C2; Alman & Song 2023, 2024";
  }

  @Override
  public String explanation() {
    return "Softmax attention via the Alman–Song polynomial method (tight monomial features, degree from the "
        + "exponent range R and the target error, certified max-norm bound) against the engine's exact attention, "
        + "at head size s = 4 in float64. Look for: measured errors under their certificates at every degree; "
        + "time slopes near 1 (fast) and 2 (exact) with an early crossover; and, as the entry bound B of the "
        + "prompt-induced keys and queries crosses √ln n, the degree and rank exploding until exact attention is "
        + "the cheaper one (the SETH side of the transition), for the forward pass and the gradient alike; FAVOR+ "
        + "random features at equal rank are orders of magnitude less accurate; and, constraining the prompt so that "
        + "R ≤ R_max after every step, what training gives up as R_max shrinks into the fast regime.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<Map<String, Object>> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(config("degree", "n", 128, "R", 1.0));
        g.add(config("time", "n_min", 256, "n_max", 1024, "exact_max", 512));
        g.add(config("transition", "n", 256, "fractions", "0.25,0.5,1,1.5"));
        g.add(config("gradient", "n", 128, "sweep_min", 64, "sweep_max", 256, "fractions", "0.25,1"));
        g.add(config("random-features", "n", 128, "ranges", "0.5,2", "seeds", 2));
        g.add(config("constrained", "length", 12, "prompt", 4, "examples", 32, "epochs", 2, "fractions", "0.25,1",
            "teacher", 2.0, "sigma", 0.2));
      }
      case QUICK -> {
        g.add(config("degree", "n", 1024, "R", 1.0));
        g.add(config("degree", "n", 1024, "R", 4.0));
        g.add(config("time", "n_min", 256, "n_max", 65536, "exact_max", 16384));
        g.add(config("transition", "n", 2048, "fractions", "0.25,0.5,0.75,1,1.25,1.5,2"));
        g.add(config("gradient", "n", 1024, "sweep_min", 256, "sweep_max", 4096, "fractions", "0.25,0.5,0.75,1,1.5"));
        g.add(config("random-features", "n", 1024, "ranges", "0.25,1,2,4", "seeds", 3));
        g.add(config("constrained", "length", 56, "prompt", 8, "examples", 256, "epochs", 30,
            "fractions", "0.0625,0.125,0.25,0.5,1,2", "teacher", 2.0, "sigma", 0.2));
      }
      case FULL -> {
        for (double r : new double[] {0.5, 1, 2, 4, 8}) g.add(config("degree", "n", 2048, "R", r));
        g.add(config("time", "n_min", 256, "n_max", 65536, "exact_max", 65536));
        for (int n : new int[] {1024, 4096, 16384}) {
          g.add(config("transition", "n", n, "fractions", "0.25,0.5,0.75,1,1.25,1.5,2"));
        }
        g.add(config("gradient", "n", 2048, "sweep_min", 256, "sweep_max", 4096, "fractions", "0.25,0.5,0.75,1,1.5"));
        g.add(config("random-features", "n", 2048, "ranges", "0.25,0.5,1,2,4", "seeds", 5));
        g.add(config("constrained", "length", 120, "prompt", 8, "examples", 1024, "epochs", 60,
            "fractions", "0.03125,0.0625,0.125,0.25,0.5,0.75,1,1.5,2", "teacher", 2.0, "sigma", 0.2));
      }
      default -> throw new IllegalStateException("size " + size);
    }
    for (Map<String, Object> c : g) c.put("size", size.label()); // timing budgets differ by size
    return g;
  }

  private static Map<String, Object> config(String part, Object... kv) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("part", part);
    for (int i = 0; i < kv.length; i += 2) c.put((String) kv[i], kv[i + 1]);
    return c;
  }

  @Override
  public int repeats(GridSize size) {
    return 1; // one task seed: the sweeps are long, and their claims are deterministic except for timings
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("chosen_degree", "chosen_rank", "chosen_error", "slope_exact", "slope_exact_large_n", "slope_fast",
        "slope_fast_large_n", "crossover_n", "speedup_at_largest_exact", "degree_at_threshold",
        "rank_over_n_at_threshold", "fast_over_exact_at_threshold", "grad_slope_fast", "grad_slope_exact",
        "worst_poly_over_favor", "constrained_max_r_over_rmax", "loss_cost_at_half_log_n", "r_auto");
  }

  @Override
  public RunOutput run(RunContext ctx) {
    Rng rng = ctx.taskRng();
    String size = ctx.stringParam("size");
    boolean smoke = size.equals("smoke");
    boolean full = size.equals("full");
    int minRuns = smoke ? 2 : full ? 10 : 5;
    double minSeconds = smoke ? 0 : full ? 1.0 : 0.2;
    double maxFastMs = smoke ? 50 : full ? 3000 : 200;
    synchronized (E9Timing.LOCK) { // one E9 run at a time: clean timings (see E9Timing)
      return runPart(ctx, rng, minRuns, minSeconds, maxFastMs);
    }
  }

  private static RunOutput runPart(RunContext ctx, Rng rng, int minRuns, double minSeconds, double maxFastMs) {
    return switch (ctx.stringParam("part")) {
      case "degree" -> E9Accuracy.errorVsDegree(rng, ctx.intParam("n"), ctx.doubleParam("R"));
      case "time" -> E9Scaling.timeVsN(rng, ctx.intParam("n_min"), ctx.intParam("n_max"), ctx.intParam("exact_max"),
          minRuns, minSeconds);
      case "transition" -> E9Transition.phaseTransition(rng, ctx.intParam("n"), numbers(ctx, "fractions"), maxFastMs,
          minRuns, minSeconds);
      case "gradient" -> E9Gradient.gradient(rng, ctx.intParam("n"), numbers(ctx, "fractions"),
          ctx.intParam("sweep_min"), ctx.intParam("sweep_max"), maxFastMs, minRuns, minSeconds);
      case "random-features" -> E9Accuracy.randomFeatures(rng, ctx.intParam("n"), numbers(ctx, "ranges"),
          ctx.intParam("seeds"));
      case "constrained" -> E9Constrained.constrainedTuning(rng, ctx.intParam("length"), ctx.intParam("prompt"),
          ctx.intParam("examples"), ctx.intParam("epochs"), numbers(ctx, "fractions"), ctx.doubleParam("teacher"),
          ctx.doubleParam("sigma"));
      default -> throw new IllegalArgumentException("E9: config key 'part' must be degree, time, transition, gradient, "
          + "random-features or constrained, got " + ctx.stringParam("part"));
    };
  }

  private static double[] numbers(RunContext ctx, String key) {
    return Arrays.stream(ctx.stringParam(key).split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E9Figures.figures(results);
  }

  @Override
  public List<ClaimResult> claims(Results results) {
    return E9Claims.claims(results);
  }
}
