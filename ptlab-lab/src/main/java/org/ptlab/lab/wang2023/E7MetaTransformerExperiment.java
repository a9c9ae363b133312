package org.ptlab.lab.wang2023;

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
 * E7: Wang et al.'s universality of prompt tuning (NeurIPS 2023 §4; spec wang2023.md §2.1, check C7) as the hardmax
 * meta-transformer at toy scale, d = m = 1, δ = δ_out = δ_P = 1/4 ({@code org.ptlab.theory.wang2023
 * .MetaTransformerConstruction}, run with its {@code HardmaxAttentionKernel}): 256 functions, m_p = 4, 22 blocks.
 * Parts ({@link E7Point}): {@code reproduce} (every member off cell boundaries), {@code distance} (d_2 to random
 * Lipschitz targets), {@code softmax} (one score scale λ), {@code match} (the λ where softmax matches hardmax to
 * 1e-8). Random targets carry a {@code trial} key instead of repeats. The construction is [D].
 */
public final class E7MetaTransformerExperiment implements Experiment {
  static final int LEVELS = 4;

  @Override
  public String id() {
    return "E7";
  }

  @Override
  public String title() {
    return "Wang et al.'s hardmax meta-transformer at toy scale, and softmax as its temperature grows";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §4 (universality); spec wang2023.md §2.1 and check C7 [D]";
  }

  @Override
  public String explanation() {
    return "A PTLab transformer (a ReLU quantizer, 20 selective-shift blocks of two hardmax heads, a ReLU value map) "
        + "and one prompt per quantized function at d = m = 1, δ = 1/4; the construction is [D]. Look for: all 256 "
        + "functions reproduced to float64 rounding (~1e-8, the ids reach 1.5e7), d_2 to Lipschitz targets under "
        + "(Lδ + δ_out)(dm)^{1/p} (the spec's ε is ≥ 1 here, i.e. vacuous), and softmax reaching the hardmax "
        + "network once the score scale λ is large enough.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<E7Point> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(point(new E7Point.Reproduce(1)));
        g.add(point(new E7Point.Distance(0, 200)));
        for (double l : new double[] {10, 1e4}) g.add(point(new E7Point.Softmax(l)));
        g.add(point(new E7Point.Match(10, 1e4, E7Claims.MATCH, 3)));
      }
      case QUICK, FULL -> {
        boolean full = size == GridSize.FULL;
        g.add(point(new E7Point.Reproduce(full ? 9 : 3)));
        for (int t = 0; t < (full ? 10 : 5); t++) g.add(point(new E7Point.Distance(t, full ? 20000 : 2000)));
        int perDecade = full ? 8 : 4;
        double decades = full ? 6 : 5;
        for (int k = 0; k <= decades * perDecade; k++) {
          g.add(point(new E7Point.Softmax(Math.pow(10, k / (double) perDecade))));
        }
        g.add(point(new E7Point.Match(1, Math.pow(10, decades), E7Claims.MATCH, full ? 20 : 12)));
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return GridPoint.configs(g);
  }

  private static E7Point point(E7Point.Part part) {
    return new E7Point(part, LEVELS);
  }

  @Override
  public int repeats(GridSize size) {
    return 1; // the construction is deterministic; random targets are the 'trial' key
  }

  @Override
  public RunOutput run(RunContext ctx) {
    return E7Point.of(ctx).run(ctx);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E7Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E7Claims.claims(results);
  }
}
