package org.ptlab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.wang2023.SharedTokenConstruction;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/**
 * The {@code sweep} workload's runs as a lab {@link Experiment}, so that they go through the lab's executor
 * ({@code InProcessExecutor}) exactly as E1's runs do: E1's prompt-tuning run (E1's shared-token construction,
 * paper preset d = 6, r = 12, 2 examples of 2 tokens, float64; a RANDOM prompt of m_p = 4 rows in [−0.5, 0.5] from
 * the run's seed; PTLab's {@link Trainer}, full batch, Adam at lr 0.1, the masked MSE of sequence regression) for
 * {@link #STEPS} steps, repeated {@code runs} times (repeat i has its own seed, hence its own initial prompt).
 *
 * <p>The construction (model, data, certificate) is built once here, not per run as E1 does: its certificate costs
 * more than the training and is not engine work. Each run copies the model, so runs share no mutable tensor.
 */
final class SweepExperiment implements Experiment {
  static final int D = 6;
  static final int R = 12;
  static final int PROMPT = 4;
  static final int STEPS = 300;
  static final double LR = 0.1;
  static final double INIT_SCALE = 0.5;

  private final int runs;
  private final SharedTokenConstruction construction;
  private final Dataset data;

  /** {@code runs} repeats of the run; the construction is E1's (d = 6, r = 12, ℓ = 0.6, α = 1.5, seed 5). */
  SweepExperiment(int runs) {
    this.runs = runs;
    this.construction = SharedTokenConstruction.build(D, R, 0.6, 1.5, 5);
    this.data = dataset(construction.inputs(), construction.targets());
  }

  SharedTokenConstruction construction() {
    return construction;
  }

  @Override
  public String id() {
    return "bench-sweep";
  }

  @Override
  public String title() {
    return "E1-style prompt-tuning runs, for timing";
  }

  @Override
  public String paper() {
    return "none (benchmark)";
  }

  @Override
  public String explanation() {
    return "ptlab bench engine --only sweep: E1's prompt run repeated with different seeds.";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("m_p", PROMPT);
    c.put("init_scale", INIT_SCALE);
    c.put("lr", LR);
    c.put("steps", STEPS);
    return List.of(c);
  }

  @Override
  public int repeats(GridSize size) {
    return runs;
  }

  /** The run's metrics: {@code final_loss}; artifact {@code losses} (the trainer's loss before each step). */
  @Override
  public RunOutput run(RunContext ctx) {
    Transformer model = copyOfModel();
    PromptTuning prompt = initialPrompt(model, ctx.rng());
    TunedModel tuned = TunedModel.of(model, prompt);
    Task task = Task.of(model.config().head(), data);
    TrainerConfig tc = TrainerConfig.defaults().withEpochs(ctx.intParam("steps")).withBatch(data.size())
        .withLr(ctx.doubleParam("lr")).withSeed(ctx.seed());
    TrainResult r;
    try {
      r = new Trainer(tuned, task, tc, 0).fit(data, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no checkpoint directory: does not happen
    }
    double[] losses = r.losses();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("final_loss", losses[losses.length - 1]);
    List<Double> curve = new ArrayList<>();
    for (double v : losses) curve.add(v);
    return new RunOutput(m, Map.of("losses", curve));
  }

  /** E1's prompt: RANDOM init, uniform in [−0.5, 0.5], drawn from {@code rng} (the run's seed). */
  PromptTuning initialPrompt(Transformer model, Rng rng) {
    PromptTuningConfig c = new PromptTuningConfig(PROMPT, PromptInit.RANDOM, INIT_SCALE, null, null, 0, 0, null);
    return PromptTuning.create(c, model, rng);
  }

  /** A fresh model with the construction's weights (the construction's own model is never trained or frozen). */
  Transformer copyOfModel() {
    Transformer copy = Transformer.create(construction.config(), new Rng(0));
    Map<String, Tensor> dst = copy.parameters().all();
    construction.model().parameters().all().forEach((k, v) -> dst.get(k).copyFrom(v));
    return copy;
  }

  /** E1's dataset: inputs [n][m][d] → per-position targets [n][m][d] (ArrayTuning.dataset in ptlab-lab). */
  private static Dataset dataset(double[][][] inputs, double[][][] targets) {
    List<Example> out = new ArrayList<>(inputs.length);
    for (int i = 0; i < inputs.length; i++) {
      int m = targets[i].length;
      int d = targets[i][0].length;
      double[] flat = new double[m * d];
      for (int j = 0; j < m; j++) System.arraycopy(targets[i][j], 0, flat, j * d, d);
      out.add(Example.ofInputs(inputs[i], new Target.PerPosition(flat, m, d)));
    }
    return Dataset.of("E1 shared-token (bench sweep)", out);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return List.of();
  }

  @Override
  public List<Claim> claims(Results results) {
    return List.of();
  }
}
