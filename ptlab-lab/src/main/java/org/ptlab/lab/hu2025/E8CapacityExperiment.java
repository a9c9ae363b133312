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

/**
 * E8: memorization capacity vs prompt length by training (Hu et al. 2025 §2, Thm 2.3; spec hu2025.md §3), next to
 * the counting bound for prompts quantized to a δ_P grid. Each repeat is one random one-layer model of the
 * {@code paper} preset with its own random-label data pool; each config is one prompt length ({@link E8Point},
 * {@link E8Capacity}). Real-valued prompts admit no counting bound; the quantized copy of each trained prompt does.
 */
public final class E8CapacityExperiment implements Experiment {
  @Override
  public String id() {
    return "E8";
  }

  @Override
  public String title() {
    return "Memorization capacity of prompt tuning vs prompt length, against the counting bound for quantized prompts";
  }

  @Override
  public String paper() {
    return "Hu et al. 2025 §2 (Thm 2.3, capacity); spec hu2025.md §3 and §0.1 [D]; Meyer et al. 2025 (linear growth)";
  }

  @Override
  public String explanation() {
    return "On frozen random one-layer models (paper preset, float64), the largest random-label dataset (random "
        + "inputs; each label one of K = 16 targets the model reaches with a 1-token prompt) that Adam on the prompt "
        + "alone fits to tolerance, found by doubling then bisection, for growing m_p. Counting: a prompt "
        + "rounded to a δ_P grid in [−clip, clip] takes V^{d·m_p} values, so it stores at most d·m_p·log2 V bits; a "
        + "real-valued prompt has infinitely many values and admits no counting bound. Look for: capacity growing "
        + "with m_p, about linearly (Meyer et al. 2025 argue memorized information grows at most linearly in prompt "
        + "length), far below the counting bound.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<E8Point> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        for (int mp : new int[] {1, 2}) g.add(new E8Point(4, 8, 1, "last", mp, 8, 60, 1, 0.1, 16, 0.05, 1 / 64.0, 4));
      }
      case QUICK -> {
        for (int mp : new int[] {1, 2, 4, 8, 16}) {
          g.add(new E8Point(4, 16, 2, "last", mp, 64, 2000, 2, 0.1, 16, 0.05, 1 / 64.0, 4));
        }
      }
      case FULL -> {
        for (int d : new int[] {4, 8}) {
          for (String readout : new String[] {"last", "all"}) {
            for (int mp : new int[] {1, 2, 4, 8, 16, 32}) {
              g.add(new E8Point(d, 4 * d, 2, readout, mp, 512, 4000, 3, 0.1, 16, 0.05, 1 / 64.0, 4));
            }
          }
        }
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return GridPoint.configs(g);
  }

  @Override
  public int repeats(GridSize size) {
    return switch (size) {
      case SMOKE -> 1;
      case QUICK -> 5;
      case FULL -> 10;
    };
  }

  @Override
  public RunOutput run(RunContext ctx) {
    return E8Capacity.run(ctx);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E8Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E8Claims.claims(results);
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("capacity", "capacity_quantized", "counting_bound_n", "censored", "prompt_bits", "capacity_bits",
        "fits", "adam_steps");
  }
}
