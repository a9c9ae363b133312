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
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;
import org.ptlab.theory.SpectralNorms;
import org.ptlab.theory.wang2023.ExactLoraUpdate;
import org.ptlab.theory.wang2023.PromptLengthLossBound;
import org.ptlab.theory.wang2023.PromptLengthNecessaryCondition;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;

/**
 * E2 (Wang et al. 2023 §5, the prompt-parameter lower bound "L2" vs LoRA; spec wang2023.md §3) [D]: n single-token
 * examples x_i → y_i (entries N(0, 1)) on the paper preset with ℓ = ‖W2‖‖W1‖ scaled to {@value #ELL}. Prompt tuning
 * at several lengths and LoRA on mlp_out at several ranks are trained; each run records its trainable parameters as
 * counted by the tuned model and its loss. Theory drawn next to them: the necessary condition m_p ≥ n
 * ({@link PromptLengthNecessaryCondition}: a necessary condition for exact memorization, not a bound on the loss)
 * and the Eckart–Young loss bound for each m_p ({@link PromptLengthLossBound}, [D]).
 *
 * <p>Run parameters: {@link E2Point}. Model and data come from the repeat's task seed (and n), so every method of a
 * repeat sees the same dataset.
 */
public final class E2ParameterCountExperiment implements Experiment {
  static final double ELL = 0.5;
  /** "Fits": final MSE at or below this. */
  static final double FIT = 1e-6;
  static final int CURVE_POINTS = 60;

  @Override
  public String id() {
    return "E2";
  }

  @Override
  public String title() {
    return "Final loss vs trainable parameters: prompt tuning vs LoRA on single-token datasets";
  }

  @Override
  public String paper() {
    return "Wang et al. 2023 §5 (lower bound on prompt parameters vs LoRA); spec wang2023.md §3 [D]";
  }

  @Override
  public String explanation() {
    return "n single-token examples on a one-layer model with an injective MLP. Memorizing them exactly needs m_p ≥ n "
        + "prompt tokens (a necessary condition, not sufficient and not a loss bound); the Eckart–Young bound [D] "
        + "gives the least loss a prompt of each length can reach. We train prompts and LoRA on mlp_out and plot "
        + "final loss against the parameter counts as the tuned model counts them (m_p·d for a prompt, k(d + r) "
        + "for LoRA); which method needs fewer parameters is read off the counts, not assumed. The paper reports no "
        + "numbers for this experiment: these are ours.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    int d = size == GridSize.FULL ? 16 : 8;
    int r = 2 * d;
    int[] ns = size == GridSize.SMOKE ? new int[] {2} : size == GridSize.QUICK ? new int[] {2, 4} : new int[] {2, 4, 8};
    int[] lengths = size == GridSize.SMOKE ? new int[] {1, 2} : size == GridSize.QUICK ? new int[] {1, 2, 4, 8}
        : new int[] {1, 2, 4, 8, 16, 32};
    int[] ranks = size == GridSize.SMOKE ? new int[] {2} : size == GridSize.QUICK ? new int[] {1, 2, 4}
        : new int[] {1, 2, 4, 8};
    int steps = switch (size) {
      case SMOKE -> 20;
      case QUICK -> 2000;
      case FULL -> 5000;
    };
    List<E2Point> g = new ArrayList<>();
    for (int n : ns) {
      for (int m : lengths) g.add(new E2Point(n, d, r, "prompt", m, null, 0.1, steps)); // the paper's prompt lr
      for (int k : ranks) g.add(new E2Point(n, d, r, "lora", null, k, 0.01, steps));
      g.add(new E2Point(n, d, r, "exact", null, null, null, 0));
    }
    return GridPoint.configs(g);
  }

  @Override
  public int repeats(GridSize size) {
    return size == GridSize.FULL ? 3 : size == GridSize.QUICK ? 2 : 1;
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("trainable_params", "final_loss", "best_loss", "bound_loss", "necessary_prompt_length");
  }

  /** The paper preset with ℓ scaled to {@link #ELL}, and n random single-token examples. */
  record Task(Transformer model, double[][][] inputs, double[][][] targets) {}

  static Task task(Rng rng, int n, int d, int r) {
    Transformer model = Transformer.create(Presets.paper(d, r), rng);
    scaleEll(model, ELL);
    double[][][] x = new double[n][1][d];
    double[][][] y = new double[n][1][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) x[i][0][j] = rng.nextGaussian();
      for (int j = 0; j < d; j++) y[i][0][j] = rng.nextGaussian();
    }
    return new Task(model, x, y);
  }

  @Override
  public RunOutput run(RunContext ctx) {
    E2Point p = E2Point.of(ctx);
    Task t = task(Rng.derive(ctx.taskSeed(), p.n()), p.n(), p.d(), p.r());
    Dataset data = ArrayTuning.dataset("E2 n=" + p.n(), t.inputs(), t.targets());
    Certificate need = PromptLengthNecessaryCondition.certify(t.model(), t.inputs(), t.targets());
    Map<String, Object> m = new LinkedHashMap<>();
    ArrayTuning.Outcome out;
    long expected;
    if (p.method().equals("exact")) {
      ExactLoraUpdate u = ExactLoraUpdate.fit(t.model(), t.inputs(), t.targets());
      TunedModel tuned = TunedModel.of(t.model(), u.toLora(t.model()));
      out = new ArrayTuning.Outcome(new double[] {ArrayTuning.evaluate(tuned, data)}, tuned);
      expected = u.parameters();
      m.put("rank", u.rank());
    } else {
      boolean prompt = p.method().equals("prompt");
      TuningMethod method = prompt ? ArrayTuning.prompt(t.model(), p.promptLength(), 0.5, ctx.rng())
          : ArrayTuning.loraMlpOut(t.model(), p.rank(), ctx.rng());
      out = ArrayTuning.train(t.model(), method, data, p.steps(), p.lr(), ctx.seed(), null);
      expected = prompt ? (long) p.promptLength() * p.d() : (long) p.rank() * (p.d() + p.r());
      if (prompt) {
        Certificate b = PromptLengthLossBound.certify(t.model(), t.inputs(), t.targets(), p.promptLength());
        m.put("bound_loss", ((Number) b.details().get("eval_loss")).doubleValue());
      }
    }
    m.put("trainable_params", out.tuned().trainableCount());
    m.put("expected_params", expected);
    m.put("initial_loss", out.initial());
    m.put("final_loss", out.last());
    m.put("best_loss", out.best());
    m.put("necessary_prompt_length", need.value());
    return new RunOutput(m, ArrayTuning.sampled("curve_loss", out.curve(), CURVE_POINTS));
  }

  /** W2 ← W2·ℓ/(‖W2‖‖W1‖): the residual MLP becomes injective with this ℓ (spec §3's assumption). */
  private static void scaleEll(Transformer model, double ell) {
    Tensor w1 = model.parameters().get("encoder.layer.0.intermediate.dense.weight");
    Tensor w2 = model.parameters().get("encoder.layer.0.output.dense.weight");
    double now = SpectralNorms.of(ArrayTuning.rows(w1)) * SpectralNorms.of(ArrayTuning.rows(w2));
    try (GradMode.Scope s = GradMode.noGrad()) {
      w2.copyFrom(w2.mul(ell / now));
    }
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return E2Figures.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return E2Claims.claims(results, FIT);
  }
}
