package org.ptlab.lab.demo;

import java.util.ArrayList;
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
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;

/**
 * D0, a demo: prompt tuning vs LoRA on a toy regression that prompt tuning can fit exactly. The model is the seeds'
 * layer ({@link SeedLayer}) with frozen random weights; the data are its outputs with a hidden random prompt P* of
 * {@value #TEACHER_PROMPT} tokens prepended. We train (a) a prompt of m_p ∈ {1, 2, 4} tokens, (b) LoRA of rank
 * r ∈ {1, 2} on W_q and W_v, full-batch Adam in float64, and compare final MSE against trainable parameters.
 *
 * <p>Config keys: {@code method} (prompt|lora), {@code m_p} or {@code r}, {@code d}, {@code steps}, {@code lr}.
 * The task (weights, P*, data) comes from the repeat's task seed, so every method of a repeat sees the same task.
 */
public final class PromptVsLoraDemo implements Experiment {
  /** m_p*: the teacher's prompt length. */
  static final int TEACHER_PROMPT = 2;
  /** Input tokens per sequence, sequences in the data set, MLP width. */
  static final int TOKENS = 4;
  static final int SAMPLES = 64;
  static final int HIDDEN = 16;
  /** The target of the fitting claim: final MSE at or below this. */
  static final double FIT_MSE = 1e-3;
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
    List<Map<String, Object>> g = new ArrayList<>();
    switch (size) {
      case SMOKE -> {
        g.add(config("prompt", "m_p", TEACHER_PROMPT, 4, 40, 0.05));
        g.add(config("lora", "r", 1, 4, 40, 0.05));
      }
      case QUICK, FULL -> {
        int steps = size == GridSize.QUICK ? 2000 : 3000; // exact fits need ~1000-2000 steps at lr 0.05
        for (int d : size == GridSize.QUICK ? new int[] {4} : new int[] {4, 8}) {
          for (int m : new int[] {1, 2, 4}) g.add(config("prompt", "m_p", m, d, steps, 0.05));
          for (int r : new int[] {1, 2}) g.add(config("lora", "r", r, d, steps, 0.05));
        }
      }
      default -> throw new IllegalStateException("size " + size);
    }
    return g;
  }

  private static Map<String, Object> config(String method, String sizeKey, int sizeValue, int d, int steps,
      double lr) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("method", method);
    c.put(sizeKey, sizeValue);
    c.put("d", d);
    c.put("steps", steps);
    c.put("lr", lr);
    return c;
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
    int d = ctx.intParam("d");
    String method = ctx.stringParam("method");
    int steps = ctx.intParam("steps");
    // The task: shared by every config of this repeat.
    Rng task = ctx.taskRng();
    SeedLayer layer = SeedLayer.random(task, d, HIDDEN);
    Tensor teacherPrompt = Tensor.randn(task, DType.F64, 1.0, TEACHER_PROMPT, d); // P* [m_p*, d]
    Tensor x = Tensor.randn(task, DType.F64, 1.0, SAMPLES, TOKENS, d); // [N, n, d]
    Tensor y;
    double baseMse;
    try (GradMode.Scope s = GradMode.noGrad()) {
      y = layer.forward(x, teacherPrompt, null, null); // targets [N, n, d]
      baseMse = layer.forward(x, null, null, null).mse(y).item();
    }
    // This run's trainable parameters, initialised from its own seed.
    Rng rng = ctx.rng();
    List<Tensor> params = new ArrayList<>();
    Tensor prompt = null;
    Tensor aq = null;
    Tensor bq = null;
    Tensor av = null;
    Tensor bv = null;
    long expected;
    if (method.equals("prompt")) {
      int m = ctx.intParam("m_p");
      prompt = Tensor.randn(rng, DType.F64, 1.0, m, d).requiresGrad(true).named("prompt"); // [m, d]
      params.add(prompt);
      expected = (long) m * d;
    } else if (method.equals("lora")) {
      int r = ctx.intParam("r");
      // PEFT's init: A random, B = 0, so training starts exactly at the frozen model.
      aq = Tensor.randn(rng, DType.F64, 1 / Math.sqrt(d), d, r).requiresGrad(true).named("lora_A.q"); // [d, r]
      bq = Tensor.zeros(DType.F64, r, d).requiresGrad(true).named("lora_B.q"); // [r, d]
      av = Tensor.randn(rng, DType.F64, 1 / Math.sqrt(d), d, r).requiresGrad(true).named("lora_A.v");
      bv = Tensor.zeros(DType.F64, r, d).requiresGrad(true).named("lora_B.v");
      params.addAll(List.of(aq, bq, av, bv));
      expected = 4L * r * d;
    } else {
      throw new IllegalArgumentException("D0: config key 'method' must be prompt or lora, got " + method);
    }
    Adam opt = new Adam(params, AdamConfig.adam(ctx.doubleParam("lr")));
    double[] curve = new double[steps + 1];
    for (int step = 0; step <= steps; step++) {
      Tensor dq = aq == null ? null : aq.matmul(bq); // ΔW_q = A·B  [d, d]
      Tensor dv = av == null ? null : av.matmul(bv);
      Tensor loss = layer.forward(x, prompt, dq, dv).mse(y);
      curve[step] = loss.item();
      if (step == steps) break; // the last entry is the loss after the final update
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
    double teacherMse;
    try (GradMode.Scope s = GradMode.noGrad()) {
      teacherMse = layer.forward(x, teacherPrompt, null, null).mse(y).item();
    }
    long count = params.stream().mapToLong(Tensor::numel).sum();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("trainable_params", count);
    metrics.put("expected_params", expected);
    metrics.put("base_mse", baseMse);
    metrics.put("initial_mse", curve[0]);
    metrics.put("final_mse", curve[steps]);
    metrics.put("best_mse", java.util.Arrays.stream(curve).min().orElse(Double.NaN));
    metrics.put("teacher_mse", teacherMse);
    return new RunOutput(metrics, DemoFigures.sampledCurve(curve, CURVE_POINTS));
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return DemoFigures.figures(results, FIT_MSE);
  }

  @Override
  public List<ClaimResult> claims(Results results) {
    return DemoClaims.claims(results, TEACHER_PROMPT, FIT_MSE);
  }
}
