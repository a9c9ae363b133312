package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.hu2025.E9Point.Constrained;
import org.ptlab.lab.hu2025.E9Point.Degree;
import org.ptlab.lab.hu2025.E9Point.Gradient;
import org.ptlab.lab.hu2025.E9Point.RandomFeatures;
import org.ptlab.lab.hu2025.E9Point.Time;
import org.ptlab.lab.hu2025.E9Point.Transition;

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
public final class E9FastPromptAttentionExperiment implements Experiment {
  /** B = fraction·√ln n for the forward pass's sweep, and for the gradient's (fewer points: each costs more). */
  private static final double[] TRANSITION_FRACTIONS = {0.25, 0.5, 0.75, 1, 1.25, 1.5, 2};
  private static final double[] GRADIENT_FRACTIONS = {0.25, 0.5, 0.75, 1, 1.5};

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
        + "the cheaper one, for the forward pass and the gradient alike (the polynomial method's own blow-up: at this "
        + "constant head size near-linear algorithms exist, and SETH's lower bound needs d = Θ(log n)); FAVOR+ "
        + "random features at equal rank are orders of magnitude less accurate; and, constraining the prompt so that "
        + "R ≤ R_max after every step, what training gives up as R_max shrinks into the fast regime.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    return GridPoint.configs(points(size).stream().map(p -> new E9Point(p, size)).toList());
  }

  /** The parts run at {@code size}: one point each, several degree and transition points in the larger grids. */
  static List<E9Point.Part> points(GridSize size) {
    List<E9Point.Part> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(new Degree(128, 1.0));
        g.add(new Time(256, 1024, 512));
        g.add(new Transition(256, new double[] {0.25, 0.5, 1, 1.5}));
        g.add(new Gradient(128, 64, 256, new double[] {0.25, 1}));
        g.add(new RandomFeatures(128, new double[] {0.5, 2}, 2));
        g.add(new Constrained(12, 4, 32, 2, new double[] {0.25, 1}, 2.0, 0.2));
      }
      case QUICK -> {
        g.add(new Degree(1024, 1.0));
        g.add(new Degree(1024, 4.0));
        g.add(new Time(256, 65536, 16384));
        g.add(new Transition(2048, TRANSITION_FRACTIONS));
        g.add(new Gradient(1024, 256, 4096, GRADIENT_FRACTIONS));
        g.add(new RandomFeatures(1024, new double[] {0.25, 1, 2, 4}, 3));
        g.add(new Constrained(56, 8, 256, 30, new double[] {0.0625, 0.125, 0.25, 0.5, 1, 2}, 2.0, 0.2));
      }
      case FULL -> {
        for (double r : new double[] {0.5, 1, 2, 4, 8}) g.add(new Degree(2048, r));
        g.add(new Time(256, 65536, 65536));
        for (int n : new int[] {1024, 4096, 16384}) g.add(new Transition(n, TRANSITION_FRACTIONS));
        g.add(new Gradient(2048, 256, 4096, GRADIENT_FRACTIONS));
        g.add(new RandomFeatures(2048, new double[] {0.25, 0.5, 1, 2, 4}, 5));
        g.add(new Constrained(120, 8, 1024, 60,
            new double[] {0.03125, 0.0625, 0.125, 0.25, 0.5, 0.75, 1, 1.5, 2}, 2.0, 0.2));
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return g;
  }

  @Override
  public int repeats(GridSize size) {
    return 1; // one task seed: the sweeps are long, and their claims are deterministic except for timings
  }

  /** Its timings (slopes, crossover, speedups) need the machine alone. */
  @Override
  public boolean exclusive() {
    return true;
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
    E9Point point = E9Point.of(ctx);
    synchronized (E9Timing.LOCK) { // one E9 run at a time: clean timings (see E9Timing)
      return point.part().run(ctx.taskRng(), E9Point.Budget.of(point.size()));
    }
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E9Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E9Claims.claims(results);
  }
}
