package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The real PTLab forward pass on plain arrays (tokens as rows), for checking the theory against the model. */
final class PromptModels {
  private PromptModels() {}

  static Tensor tensor(double[][] rows) {
    int m = rows.length;
    int d = rows[0].length;
    double[] flat = new double[m * d];
    for (int i = 0; i < m; i++) System.arraycopy(rows[i], 0, flat, i * d, d);
    return Tensor.of(flat, 1, m, d);
  }

  static Tensor prompt(double[][] rows) {
    return tensor(rows).reshape(rows.length, rows[0].length);
  }

  static double[][] rows(Tensor t) {
    int m = t.dim(t.rank() - 2);
    int d = t.dim(t.rank() - 1);
    double[] flat = t.toDoubleArray();
    double[][] r = new double[m][d];
    for (int i = 0; i < m; i++) System.arraycopy(flat, i * d, r[i], 0, d);
    return r;
  }

  /** Hooks that prepend {@code p} [m_p, d] (null = no prompt) and record every output of {@code module}. */
  static ForwardHooks hooks(Tensor p, String module, List<Tensor> seen) {
    return new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return p;
      }

      @Override
      public Tensor linear(String name, Tensor x, Tensor y, ForwardMode pass) {
        if (name.equals(module)) seen.add(y);
        return y;
      }
    };
  }

  /** τ([P, X]) at the input positions, by the real Transformer (P may be null). */
  static double[][] forward(Transformer model, double[][] prompt, double[][] x) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor p = prompt == null ? null : prompt(prompt);
      Tensor y = model.forward(ModelInput.ofVectors(tensor(x)), hooks(p, "", new ArrayList<>()), ForwardMode.EVAL);
      return rows(y);
    }
  }

  /** Σ squared errors of the prompted model over every position of every example. */
  static double sse(Transformer model, double[][] prompt, double[][][] inputs, double[][][] targets) {
    double s = 0;
    for (int i = 0; i < inputs.length; i++) {
      double[][] y = forward(model, prompt, inputs[i]);
      for (int j = 0; j < y.length; j++) s += LinAlg.dist2(y[j], targets[i][j]);
    }
    return s;
  }

  /**
   * Prompt tuning on the real model: Adam on P [m_p, d] (frozen weights), loss = Σ squared errors over every
   * position of every example (the paper's sum); returns the least loss seen (evaluated before each step).
   */
  static double tunePrompt(Transformer model, double[][][] inputs, double[][][] targets, int mp, double initStd,
      double lr, int steps, long seed) {
    int n = inputs.length;
    int m = inputs[0].length;
    int d = inputs[0][0].length;
    Tensor x = stack(inputs).reshape(n, m, d);
    Tensor y = stack(targets).reshape(n, m, d);
    double[][] init = gaussian(new Rng(seed), mp, d, initStd);
    Tensor p = prompt(init).requiresGrad(true);
    model.requiresGrad(false);
    org.ptlab.tensor.optim.Adam adam = new org.ptlab.tensor.optim.Adam(List.of(p),
        org.ptlab.tensor.optim.AdamConfig.adam(lr));
    double best = Double.POSITIVE_INFINITY;
    for (int step = 0; step < steps; step++) {
      Tensor out = model.forward(ModelInput.ofVectors(x), hooks(p, "", new ArrayList<>()), ForwardMode.EVAL);
      Tensor loss = out.sub(y).square().sum();
      best = Math.min(best, loss.item());
      loss.backward();
      adam.step();
      adam.zeroGrad();
    }
    return best;
  }

  private static Tensor stack(double[][][] data) {
    int n = data.length;
    int m = data[0].length;
    int d = data[0][0].length;
    double[] flat = new double[n * m * d];
    for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) System.arraycopy(data[i][j], 0, flat, (i * m + j) * d, d);
    return Tensor.of(flat, n, m, d);
  }

  static double[][] gaussian(Rng rng, int rows, int d, double std) {
    double[][] r = new double[rows][d];
    for (double[] row : r) for (int j = 0; j < d; j++) row[j] = std * rng.nextGaussian();
    return r;
  }
}
