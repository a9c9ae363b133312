package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;

/**
 * E6: Hu et al.'s one-layer, one-head universality construction (ICLR 2025 §2, Thms 2.2–2.3; spec hu2025.md §2–3,
 * checks U1–U3), built as an ordinary PTLab transformer ({@code org.ptlab.theory.hu2025.UniversalConstruction}).
 * Parts (config key {@code part}):
 * <ul>
 *   <li>{@code memorize}: whole quantized families verified exactly on every grid cell of every member (U1, U3);
 *   <li>{@code error}: the d_p error vs δ for random 1-Lipschitz targets (U2), with the first-order bound;
 *   <li>{@code sizes}: L_p, FFN widths and attention layers for growing d, L, 1/ε, next to Wang et al.'s orders;
 *   <li>{@code precision} (E6b): minimum id gap and FF_2 slope as the family grows; where float64 stops;
 *   <li>{@code train} (E6c): prompt tuning from random prompts on the constructed model.
 * </ul>
 * Random parts carry a {@code trial} key instead of repeats (the deterministic parts then run once).
 */
public final class E6UniversalityExperiment implements Experiment {
  static final int TRIALS_QUICK = 3;
  static final int TRIALS_FULL = 5;

  @Override
  public String id() {
    return "E6";
  }

  @Override
  public String title() {
    return "One layer, one head, one prompt per function: Hu et al.'s universality construction, built and verified";
  }

  @Override
  public String paper() {
    return "Hu et al. 2025 §2 (Thms 2.2–2.3); spec hu2025.md §2–3, checks U1–U3 [D]; sizes vs Wang et al. 2023 §4";
  }

  @Override
  public String explanation() {
    return "A frozen two-block PTLab transformer (an attention-free quantizer MLP, one attention head of size 1 "
        + "with a rank-1 Boltzmann contextual map, a ReLU lookup MLP) and one prompt per quantized function, "
        + "verified on every grid cell; the construction is [D] (derived here, not the paper's wording). Look for: "
        + "exact memorization (error ≈ 1e-16), d_p under C·δ·(dL)^{1/p} + quantizer terms and halving with δ, sizes "
        + "with one attention layer where Wang et al.'s orders explode, the id gap collapsing as families grow "
        + "(E6b), and gradient descent failing to find the code from random prompts (E6c).";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<Map<String, Object>> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(family("memorize", 1, 1, 2));
        g.add(error(1, 1, 2, 0, 200));
        g.add(error(1, 1, 4, 0, 200));
        g.add(sizes(1, 2, 4));
        g.add(E6Precision.config("target", 1, 1, 4, 1e9));
        g.add(E6Precision.config("target", 1, 1, 1024, 1e9)); // exercises "not run"
        g.add(train(1, 1, 2, 0, 10));
      }
      case QUICK, FULL -> {
        boolean full = size == GridSize.FULL;
        int trials = full ? TRIALS_FULL : TRIALS_QUICK;
        for (int[] f : new int[][] {{1, 2, 2}, {2, 1, 2}, {1, 1, 4}, {1, 1, 3}, {1, 1, 5}}) {
          g.add(family("memorize", f[0], f[1], f[2]));
        }
        for (int k : full ? new int[] {2, 4, 8, 16} : new int[] {2, 4, 8}) {
          for (int t = 0; t < trials; t++) g.add(error(1, 2, k, t, full ? 4000 : 1000));
        }
        for (int d : full ? new int[] {1, 2, 4} : new int[] {1, 2}) {
          for (int L : full ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4}) {
            for (int k : full ? new int[] {2, 4, 8, 16} : new int[] {2, 4, 8}) g.add(sizes(d, L, k));
          }
        }
        double budget = full ? 2e11 : 5e9;
        for (int k : new int[] {2, 3, 4, 5, 6, 7}) g.add(E6Precision.config("family", 1, 1, k, budget));
        for (int k : new int[] {2, 4, 8, 16, 32, 64, 128, 256, 512}) {
          g.add(E6Precision.config("target", 1, 1, k, budget));
        }
        for (int k : new int[] {2, 4, 8, 16, 32}) g.add(E6Precision.config("target", 1, 2, k, budget));
        for (int t = 0; t < trials; t++) g.add(train(1, 2, 2, t, full ? 500 : 150));
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return g;
  }

  private static Map<String, Object> family(String part, int d, int L, int levels) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("part", part);
    c.put("d", d);
    c.put("L", L);
    c.put("levels", levels);
    return c;
  }

  private static Map<String, Object> error(int d, int L, int levels, int trial, int samples) {
    Map<String, Object> c = family("error", d, L, levels);
    c.put("trial", trial);
    c.put("samples", samples);
    return c;
  }

  private static Map<String, Object> sizes(int d, int L, int levels) {
    return family("sizes", d, L, levels);
  }

  private static Map<String, Object> train(int d, int L, int levels, int trial, int steps) {
    Map<String, Object> c = family("train", d, L, levels);
    c.put("trial", trial);
    c.put("steps", steps);
    c.put("lr", 0.05);
    return c;
  }

  @Override
  public int repeats(GridSize size) {
    return 1; // trials are config keys (see the class comment)
  }

  @Override
  public RunOutput run(RunContext ctx) {
    return switch (ctx.stringParam("part")) {
      case "memorize" -> E6Runs.memorize(ctx);
      case "error" -> E6Runs.error(ctx);
      case "sizes" -> E6Runs.sizes(ctx);
      case "precision" -> E6Precision.run(ctx);
      case "train" -> E6Training.run(ctx);
      default -> throw new IllegalArgumentException("E6: config key 'part' must be memorize, error, sizes, "
          + "precision or train, got " + ctx.stringParam("part"));
    };
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E6Report.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E6Report.claims(results);
  }
}
