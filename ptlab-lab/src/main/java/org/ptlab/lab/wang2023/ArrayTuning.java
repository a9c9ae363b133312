package org.ptlab.lab.wang2023;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import org.ptlab.tuning.train.Evaluator;
import org.ptlab.tuning.train.StepConstraint;
import org.ptlab.tuning.train.Task;
import org.ptlab.tuning.train.TrainResult;
import org.ptlab.tuning.train.Trainer;
import org.ptlab.tuning.train.TrainerConfig;

/**
 * E1–E5's way of training: the plain-array regression datasets of {@code theory.wang2023} (inputs [n][m][d] →
 * targets [n][m][d], tokens as rows) trained with PTLab's own {@link Trainer} and methods ({@code tuning.prompt},
 * {@code tuning.lora}, {@code tuning.full}), full batch with Adam, exactly what {@code ptlab tune} would do on the
 * same data file. Loss units are the trainer's: the MSE over every input position and dimension, i.e. the paper's
 * sum of squared errors / (positions·d), the units of {@code ptlab eval} and of the certificates' {@code eval_loss}.
 */
final class ArrayTuning {
  private ArrayTuning() {}

  /** The loss before every step, then after the last one ({@code curve.length = steps + 1}). */
  record Outcome(double[] curve, TunedModel tuned) {
    double initial() {
      return curve[0];
    }

    double last() {
      return curve[curve.length - 1];
    }

    /** The least loss seen, the strongest number to hold against a lower bound. */
    double best() {
      double b = Double.POSITIVE_INFINITY;
      for (double v : curve) b = Math.min(b, v);
      return b;
    }
  }

  /** A per-position regression dataset (vector inputs, one target row per input position). */
  static Dataset dataset(String source, double[][][] inputs, double[][][] targets) {
    List<Example> out = new ArrayList<>(inputs.length);
    for (int i = 0; i < inputs.length; i++) {
      int m = targets[i].length;
      int d = targets[i][0].length;
      double[] flat = new double[m * d];
      for (int j = 0; j < m; j++) System.arraycopy(targets[i][j], 0, flat, j * d, d);
      out.add(Example.ofInputs(inputs[i], new Target.PerPosition(flat, m, d)));
    }
    return Dataset.of(source, out);
  }

  /** A soft prompt of {@code promptLength} rows, uniform in [−scale, scale] (Lester et al.'s random init). */
  static PromptTuning prompt(Transformer model, int promptLength, double scale, Rng rng) {
    PromptTuningConfig c = new PromptTuningConfig(promptLength, PromptInit.RANDOM, scale, null, null, 0, 0, null);
    return PromptTuning.create(c, model, rng);
  }

  /** LoRA of rank {@code rank} on the MLP output W2 ({@code --targets mlp_out}), α = rank so the scaling is 1. */
  static Lora loraMlpOut(Transformer model, int rank, Rng rng) {
    return Lora.create(new LoraConfig(rank, rank, 0.0, List.of("mlp_out"), false), model, rng);
  }

  /** Every weight of the model. */
  static FullFineTuning full(Transformer model) {
    return new FullFineTuning(model);
  }

  /**
   * Trains {@code method} on {@code model} for {@code steps} full-batch Adam steps at {@code lr} (constant schedule),
   * calling {@code listener} (may be null) after every step, e.g. to record a prompt norm.
   */
  static Outcome train(Transformer model, TuningMethod method, Dataset data, int steps, double lr, long seed,
      Trainer.StepListener listener) {
    return train(model, method, data, steps, lr, seed, listener, null);
  }

  /** As above, projecting the trainable tensors with {@code constraint} (may be null) after every step. */
  static Outcome train(Transformer model, TuningMethod method, Dataset data, int steps, double lr, long seed,
      Trainer.StepListener listener, StepConstraint constraint) {
    TunedModel tuned = TunedModel.of(model, method);
    Task task = Task.of(model.config().head(), data);
    TrainerConfig tc = TrainerConfig.defaults().withEpochs(steps).withBatch(data.size()).withLr(lr).withSeed(seed);
    Trainer trainer = new Trainer(tuned, task, tc, 0);
    if (listener != null) trainer.onStep(listener);
    if (constraint != null) trainer.constrainWith(constraint);
    TrainResult r;
    try {
      r = trainer.fit(data, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no checkpoint directory is set, so this does not happen
    }
    double[] curve = new double[r.losses().length + 1];
    System.arraycopy(r.losses(), 0, curve, 0, r.losses().length);
    curve[curve.length - 1] = evaluate(tuned, data);
    return new Outcome(curve, tuned);
  }

  /** The full-batch loss of {@code tuned} on {@code data}, without training. */
  static double evaluate(TunedModel tuned, Dataset data) {
    Task task = Task.of(tuned.model().config().head(), data);
    return Evaluator.evaluate(tuned, data, task, data.size(), 0).loss();
  }

  /**
   * Keeps every prompt row inside the ball ‖p_j‖ ≤ radius (rows outside are scaled onto the sphere): the admissible
   * prompts of the invertibility certificate. Pure, idempotent and the identity on feasible prompts.
   */
  static StepConstraint promptBall(double radius) {
    return new StepConstraint() {
      @Override
      public void project(Map<String, Tensor> trainable) {
        Tensor p = trainable.get(PromptTuning.KEY); // [m_p, d]
        int d = p.dim(1);
        for (int i = 0; i < p.dim(0); i++) {
          double s = 0;
          for (int j = 0; j < d; j++) s += p.get(i, j) * p.get(i, j);
          double norm = Math.sqrt(s);
          if (norm > radius) {
            for (int j = 0; j < d; j++) p.setFlat(i * d + j, p.get(i, j) * radius / norm);
          }
        }
      }

      @Override
      public String describe() {
        return "prompt rows in the ball of radius " + radius;
      }
    };
  }

  /** Rows of a [rows, d] tensor. */
  static double[][] rows(Tensor t) {
    int d = t.dim(t.rank() - 1);
    double[] flat = t.toDoubleArray();
    double[][] r = new double[flat.length / d][d];
    for (int i = 0; i < r.length; i++) System.arraycopy(flat, i * d, r[i], 0, d);
    return r;
  }

  /** About {@code points} evenly spaced entries of a curve (first and last kept), as artifacts. */
  static Map<String, Object> sampled(String key, double[] curve, int points) {
    List<Integer> steps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    int stride = Math.max(1, (int) Math.ceil((curve.length - 1) / (double) Math.max(1, points - 1)));
    for (int i = 0; i < curve.length; i += stride) {
      steps.add(i);
      values.add(curve[i]);
    }
    if (steps.get(steps.size() - 1) != curve.length - 1) {
      steps.add(curve.length - 1);
      values.add(curve[curve.length - 1]);
    }
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("curve_step", steps);
    a.put(key, values);
    return a;
  }
}
