package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.wang2023.LipschitzInvertibilityCertificate;
import org.ptlab.theory.wang2023.ObservedGain;

/**
 * E4 (Wang et al. 2023 §6, Lemma 6; spec wang2023.md §4, §0.1) [D]: the Lipschitz bound of a prompted transformer
 * on the token ball ‖x_j‖ ≤ D ({@link LipschitzInvertibilityCertificate}: the spec's form Σ_h‖V_h‖(1 + 4D²‖A_h‖) per
 * attention branch and the tighter [D] form) against the largest gain {@link ObservedGain} finds by random search
 * and projected gradient ascent, both in ‖·‖_{∞,2} (max token 2-norm), as D and the sequence length m grow.
 *
 * <p>Run parameters: {@link E4Point}. The model's weights and the prompt ({@value #PROMPT} rows of norm D) come from
 * the repeat's task seed; the search from the run's seed.
 */
public final class E4LipschitzExperiment implements Experiment {
  static final int D_MODEL = 6;
  static final int HIDDEN = 12;
  static final int PROMPT = 2;

  @Override
  public String id() {
    return "E4";
  }

  @Override
  public String title() {
    return "Attention Lipschitz bound vs the largest gain found, in ‖·‖_{∞,2}, as D and m grow";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §6 (Lemma 6); spec wang2023.md §4, §0.1 [D]";
  }

  @Override
  public String explanation() {
    return "The invertibility argument needs a Lipschitz bound of attention on a ball of radius D. We compute it "
        + "(spec form and a tighter [D] form) and search for the largest gain ‖τ_P(X2) − τ_P(X1)‖_{∞,2}/‖X2 − X1‖_{∞,2} "
        + "over inputs in the ball (random pairs then gradient ascent; a found gain is a lower bound on the true "
        + "constant). The bound must never be below it; the ratio bound/observed shows how loose it is (it grows like "
        + "D²). The paper reports no numbers for this experiment: these are ours.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<E4Point> g = new ArrayList<>();
    double[] radii = switch (size) {
      case SMOKE -> new double[] {0.5};
      case QUICK -> new double[] {0.25, 0.5, 1, 2};
      case FULL -> new double[] {0.125, 0.25, 0.5, 1, 2, 4};
    };
    int[] lengths = switch (size) {
      case SMOKE -> new int[] {3};
      case QUICK -> new int[] {2, 8, 16};
      case FULL -> new int[] {2, 4, 8, 16, 32};
    };
    List<String> models = size == GridSize.FULL ? List.of("paper", "deep") : List.of("paper");
    for (String model : models) {
      for (double r : radii) {
        for (int m : lengths) g.add(new E4Point(model, r, m));
      }
    }
    return GridPoint.configs(g);
  }

  @Override
  public int repeats(GridSize size) {
    return switch (size) {
      case SMOKE -> 1;
      case QUICK -> 2;
      case FULL -> 3;
    };
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("observed_gain", "bound_tight", "bound_spec", "ratio_tight", "ratio_spec");
  }

  @Override
  public RunOutput run(RunContext ctx) {
    E4Point p = E4Point.of(ctx);
    Rng task = ctx.taskRng();
    Transformer model = Transformer.create(config(p.model()), task);
    Tensor prompt = sphereRows(task, PROMPT, D_MODEL, p.radius());
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, p.radius(), p.radius(),
        PROMPT);
    if (!c.lipschitz().applies()) throw new IllegalStateException("E4: " + c.lipschitz().reason());
    ObservedGain.Result g = ObservedGain.maximize(ObservedGain.model(model, prompt), p.seqLen(), D_MODEL, p.radius(),
        ObservedGain.Options.quick(ctx.seed()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("observed_gain", g.gain());
    m.put("random_search_gain", g.randomSearchGain());
    m.put("bound_spec", c.lipschitzBound());
    m.put("bound_tight", c.lipschitzBoundTight());
    m.put("ratio_spec", c.lipschitzBound() / g.gain());
    m.put("ratio_tight", c.lipschitzBoundTight() / g.gain());
    return RunOutput.of(m);
  }

  /** The paper preset, or three causal blocks of it (the multi-layer setting of the invertibility result). */
  static TransformerConfig config(String model) {
    TransformerConfig paper = Presets.paper(D_MODEL, HIDDEN);
    return model.equals("paper") ? paper : paper.toBuilder().layers(3).causal(true).build();
  }

  /** {@code rows} tokens of norm exactly {@code radius} [rows, d]. */
  static Tensor sphereRows(Rng rng, int rows, int d, double radius) {
    double[] x = new double[rows * d];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = rng.nextGaussian();
        s += x[i * d + j] * x[i * d + j];
      }
      for (int j = 0; j < d; j++) x[i * d + j] *= radius / Math.sqrt(s);
    }
    return Tensor.of(x, rows, d);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E4Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E4Claims.claims(results);
  }
}
