package org.ptlab.lab.demo;

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
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * D0, a demo: prompt tuning vs LoRA on a toy regression that prompt tuning can fit exactly. The model is the seeds'
 * layer ({@link Presets#paper}, the transformer preset the paper experiments use) with frozen random weights; the
 * data are its outputs with a hidden random prompt P* of {@value #TEACHER_PROMPT} tokens prepended. We train (a) a
 * prompt of m_p ∈ {1, 2, 4} tokens, (b) LoRA of rank r ∈ {1, 2} on W_q and W_v, both through {@code ptlab-tuning}'s
 * methods, full-batch Adam in float64, and compare final MSE against trainable parameters.
 *
 * <p>Run parameters: {@link D0Point}. The task (weights, P*, data) comes from the repeat's task seed, so every method
 * of a repeat sees the same task.
 */
public final class D0PromptVsLoraExperiment implements Experiment {
  /** m_p*: the teacher's prompt length. */
  static final int TEACHER_PROMPT = 2;
  /** Input tokens per sequence, sequences in the data set, MLP width. */
  static final int TOKENS = 4;
  static final int SAMPLES = 64;
  static final int HIDDEN = 16;
  /** The target of the fitting claim: final MSE at or below this. */
  static final double FIT_MSE = 1e-3;
  /** The student prompt starts U(−1, 1) (the teacher's P* is N(0, 1), so the scales are alike). */
  static final double PROMPT_INIT_SCALE = 1.0;
  /** Loss-curve points kept per run (the curve is sampled evenly). */
  static final int CURVE_POINTS = 200;

  @Override
  public String id() {
    return "D0";
  }

  @Override
  public String title() {
    return "Demo: prompt tuning vs LoRA on a prompt-generated toy regression";
  }

  @Override
  public String paper() {
    return "demo (not a paper result); the layer of Wang et al. 2023 as in spec wang2023.md §1.3";
  }

  @Override
  public String explanation() {
    return "The frozen random layer τ(X) = MLP(Att(X,X)+X) labels random inputs with a hidden " + TEACHER_PROMPT
        + "-token prompt P*, so a prompt of exactly that length can fit the data; we train prompts of 1, 2 and 4 "
        + "tokens and LoRA of rank 1 and 2 (on W_q, W_v) with Adam. Look at whether the prompt of the teacher's "
        + "length falls below the 1e-3 line, and at the others: a longer prompt is not a superset (every extra "
        + "token takes attention weight), and LoRA on W_q, W_v cannot mimic extra keys. A demo of the pipeline "
        + "until E1–E10 land, not a result of the papers.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<D0Point> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(D0Point.prompt(TEACHER_PROMPT, 4, 40, 0.05));
        g.add(D0Point.lora(1, 4, 40, 0.05));
      }
      case QUICK, FULL -> {
        int steps = size == GridSize.QUICK ? 2000 : 3000; // exact fits need ~1000-2000 steps at lr 0.05
        for (int d : size == GridSize.QUICK ? new int[] {4} : new int[] {4, 8}) {
          for (int m : new int[] {1, 2, 4}) g.add(D0Point.prompt(m, d, steps, 0.05));
          for (int r : new int[] {1, 2}) g.add(D0Point.lora(r, d, steps, 0.05));
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
      case QUICK -> 2;
      case FULL -> 5;
    };
  }

  @Override
  public List<String> tableMetrics() {
    return List.of("trainable_params", "base_mse", "initial_mse", "final_mse", "teacher_mse");
  }

  @Override
  public RunOutput run(RunContext ctx) {
    D0Point point = D0Point.of(ctx);
    int d = point.d();
    // The task: shared by every config of this repeat.
    Rng task = ctx.taskRng();
    Transformer layer = Transformer.create(Presets.paper(d, HIDDEN), task); // frozen random weights
    Tensor teacherPrompt = Tensor.randn(task, DType.F64, 1.0, TEACHER_PROMPT, d); // P* [m_p*, d]
    ModelInput x = ModelInput.ofVectors(Tensor.randn(task, DType.F64, 1.0, SAMPLES, TOKENS, d)); // [N, n, d]
    TunedModel teacher = TunedModel.of(layer, PromptTuning.create(fromPrompt(teacherPrompt), layer, task));
    Tensor y;
    double baseMse;
    try (GradMode.Scope s = GradMode.noGrad()) {
      y = teacher.forward(x, ForwardMode.EVAL); // targets [N, n, d]
      baseMse = layer.forward(x, ForwardHooks.NONE, ForwardMode.EVAL).mse(y).item();
    }
    // This run's trainable parameters, initialised from its own seed; TunedModel freezes the layer.
    TuningMethod method = point.isPrompt()
        ? PromptTuning.create(new PromptTuningConfig(point.size(), PromptInit.RANDOM, PROMPT_INIT_SCALE, null, null,
            0, 0, null), layer, ctx.rng())
        // PEFT's init: A random, B = 0, so training starts exactly at the frozen model; α = r makes ΔW = A·B.
        : Lora.create(new LoraConfig(point.size(), point.size(), 0, List.of("q", "v"), false), layer, ctx.rng());
    TunedModel student = TunedModel.of(layer, method);
    long expected = point.isPrompt() ? (long) point.size() * d : 4L * point.size() * d;
    double[] curve = train(student, x, y, point);
    double teacherMse;
    try (GradMode.Scope s = GradMode.noGrad()) {
      teacherMse = teacher.forward(x, ForwardMode.EVAL).mse(y).item();
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("trainable_params", student.trainableCount());
    metrics.put("expected_params", expected);
    metrics.put("base_mse", baseMse);
    metrics.put("initial_mse", curve[0]);
    metrics.put("final_mse", curve[point.steps()]);
    metrics.put("best_mse", java.util.Arrays.stream(curve).min().orElse(Double.NaN));
    metrics.put("teacher_mse", teacherMse);
    return new RunOutput(metrics, D0Figures.sampledCurve(curve, CURVE_POINTS));
  }

  /** Full-batch Adam; entry i of the curve is the MSE after i steps. */
  private static double[] train(TunedModel student, ModelInput x, Tensor y, D0Point point) {
    Adam opt = new Adam(new ArrayList<>(student.trainable().values()), AdamConfig.adam(point.lr()));
    double[] curve = new double[point.steps() + 1];
    for (int step = 0; step <= point.steps(); step++) {
      Tensor loss = student.forward(x, ForwardMode.EVAL).mse(y); // no dropout in the preset: EVAL = training
      curve[step] = loss.item();
      if (step == point.steps()) break; // the last entry is the loss after the final update
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
    return curve;
  }

  /** A prompt fixed to {@code p} (the teacher's P*). */
  private static PromptTuningConfig fromPrompt(Tensor p) {
    return new PromptTuningConfig(p.dim(0), PromptInit.FILE, PROMPT_INIT_SCALE, null, null, 0, 0, p);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return D0Figures.figures(results, FIT_MSE);
  }

  @Override
  public List<Claim> claims(Results results) {
    return D0Claims.claims(results, TEACHER_PROMPT, FIT_MSE);
  }
}
