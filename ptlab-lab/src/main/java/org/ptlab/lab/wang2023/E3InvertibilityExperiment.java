package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.wang2023.BlockBranches;
import org.ptlab.theory.wang2023.ContractiveScaling;
import org.ptlab.theory.wang2023.LipschitzInvertibilityCertificate;
import org.ptlab.theory.wang2023.ObservedGain;
import org.ptlab.tuning.prompt.PromptTuning;

/**
 * E3 (Wang et al. 2023 §6, multi-layer invertibility; spec wang2023.md §4, check C4) [D]: a causal 3-layer model
 * (the paper preset's block, d = 6, r = 12) scaled by {@link ContractiveScaling} so that every attention branch has
 * κ_att = 0.9 and every MLP branch κ_mlp = 0.5 on its ball (D = D0 = 1), hence the certified
 * κ = Π(1 − κ_att)(1 − κ_mlp) = 1.25e-4 > 0 ({@link LipschitzInvertibilityCertificate}). Prompts of
 * {@value #PROMPT} rows are kept in the ball ‖p_j‖ ≤ D0 by projection after every step (the certificate's
 * admissible prompts). The non-injective dataset (X1 ≠ X2, one target Y) must keep a summed squared error
 * ≥ (κ‖X1 − X2‖_{∞,2})²/2; the control (targets τ_{P*}(X_i) of a hidden admissible prompt) can be fitted.
 *
 * <p>Run parameters: {@link E3Point}. Model, data and the hidden prompt come from the repeat's task seed.
 */
public final class E3InvertibilityExperiment implements Experiment {
  static final int D_MODEL = 6;
  static final int HIDDEN = 12;
  static final int LAYERS = 3;
  static final int TOKENS = 4;
  static final int PROMPT = 3;
  static final double RADIUS = 1.0;
  static final double KAPPA_ATT = 0.9;
  static final double KAPPA_MLP = 0.5;
  /** Input and target rows have this norm, inside the ball. */
  static final double DATA_NORM = 0.8;
  static final int CURVE_POINTS = 120;

  @Override
  public String id() {
    return "E3";
  }

  @Override
  public String title() {
    return "Multi-layer invertibility: a certified κ > 0, a non-injective dataset prompt tuning cannot fit";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §6 (invertibility); spec wang2023.md §4, C4 [D]";
  }

  @Override
  public String explanation() {
    return "Every residual branch of a causal 3-layer model is scaled to be contractive on its ball, so every "
        + "admissible prompt gives an injective map with ‖τ_P(X1) − τ_P(X2)‖ ≥ κ‖X1 − X2‖ (κ = 1.25e-4, certified). "
        + "Prompt tuning toward one target for two inputs must stay above (κ‖X1 − X2‖)²/2; a control made by a "
        + "hidden prompt is fitted better. κ is tiny, so that bound is nearly vacuous: we also show the measured "
        + "least separation ratio over training, and the fixed-point inversion error of each branch against "
        + "L^k/(1 − L)·‖z1 − z0‖. The paper reports no numbers for this experiment: these are ours.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    int steps = switch (size) {
      case SMOKE -> 10;
      case QUICK -> 300;
      case FULL -> 2000;
    };
    List<E3Point> g = new ArrayList<>();
    for (String kind : List.of("non-injective", "injective")) g.add(E3Point.training(kind, 0.05, steps));
    if (size == GridSize.FULL) {
      for (String kind : List.of("non-injective", "injective")) g.add(E3Point.training(kind, 0.1, steps));
    }
    g.add(E3Point.inversion(size == GridSize.SMOKE ? 40 : 300));
    return GridPoint.configs(g);
  }

  @Override
  public int repeats(GridSize size) {
    return size == GridSize.SMOKE ? 1 : size == GridSize.QUICK ? 3 : 5;
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("best_sse", "bound_sse", "kappa", "min_ratio", "max_prompt_row_norm", "max_error_over_bound");
  }

  /** The scaled model, its certificate, the inputs [2, m, d] and the hidden prompt of one repeat. */
  record Setup(Transformer model, LipschitzInvertibilityCertificate cert, double[][][] inputs, Tensor hiddenPrompt,
      double[][] commonTarget) {}

  static Setup setup(Rng task) {
    Transformer model = Transformer.create(E4LipschitzExperiment.config("deep").toBuilder().layers(LAYERS).build(), task);
    ContractiveScaling.scale(model, RADIUS, KAPPA_ATT, KAPPA_MLP, 1.0);
    LipschitzInvertibilityCertificate cert = LipschitzInvertibilityCertificate.certify(model, RADIUS, RADIUS, PROMPT);
    if (!cert.invertibility().applies()) throw new IllegalStateException("E3: " + cert.invertibility().reason());
    double[][][] x = new double[2][][];
    for (int i = 0; i < 2; i++) x[i] = ArrayTuning.rows(E4LipschitzExperiment.sphereRows(task, TOKENS, D_MODEL, DATA_NORM));
    Tensor hidden = E4LipschitzExperiment.sphereRows(task, PROMPT, D_MODEL, 0.9 * RADIUS);
    double[][] y = ArrayTuning.rows(E4LipschitzExperiment.sphereRows(task, TOKENS, D_MODEL, DATA_NORM));
    return new Setup(model, cert, x, hidden, y);
  }

  @Override
  public RunOutput run(RunContext ctx) {
    E3Point p = E3Point.of(ctx);
    Setup s = setup(ctx.taskRng());
    if (p.kind().equals("inversion")) {
      Map<String, Object>[] r = E3Inversion.run(new BlockBranches(s.model()), s.cert(), s.hiddenPrompt(),
          tensor(s.inputs()[0]), p.iterations());
      r[0].put("kappa", s.cert().kappa());
      return new RunOutput(r[0], r[1]);
    }
    return E3Training.run(ctx, p, s);
  }

  /** x [m][d] as [1, m, d]. */
  static Tensor tensor(double[][] x) {
    double[] flat = new double[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
    return Tensor.of(flat, 1, x.length, x[0].length);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E3Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E3Claims.claims(results);
  }
}
