package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Pass;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The real PTLab forward pass on plain arrays (tokens as rows), for checking the theory against the model. */
final class Models {
  private Models() {}

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
      public Tensor linear(String name, Tensor x, Tensor y, Pass pass) {
        if (name.equals(module)) seen.add(y);
        return y;
      }
    };
  }

  /** τ([P, X]) at the input positions, by the real Transformer (P may be null). */
  static double[][] forward(Transformer model, double[][] prompt, double[][] x) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor p = prompt == null ? null : prompt(prompt);
      Tensor y = model.forward(ModelInput.ofVectors(tensor(x)), hooks(p, "", new ArrayList<>()), Pass.EVAL);
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

  static double[][] gaussian(Rng rng, int rows, int d, double std) {
    double[][] r = new double[rows][d];
    for (double[] row : r) for (int j = 0; j < d; j++) row[j] = std * rng.nextGaussian();
    return r;
  }
}
