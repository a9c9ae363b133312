package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.theory.Certificate;

/**
 * What memorizing a dataset asks of the prompt at every input position k (spec wang2023.md §3) [D]: with one head,
 * W = W_o·W_v, the pre-MLP vector is x_k + λ_k·a_k + (1 − λ_k)·b_k ({@link AttentionDecomposition}), with
 * b_k = Att(x_k, X) and a_k ∈ conv{W·p_j}. An exact fit needs λ_k·a_k = c_k − (1 − λ_k)·b_k with
 * c_k = MLP⁻¹(y_k) − x_k, computed by {@link MlpInverse} (error ≤ ε_k). Shared by
 * {@link PromptLengthNecessaryCondition} and {@link PromptLengthLossBound}.
 *
 * @param c the c_k, one row per position [K][d]
 * @param b the b_k [K][d]
 * @param inverseError ε_k ≥ ‖computed c_k − true c_k‖
 * @param positions where each row comes from
 */
record PromptRequirements(double[][] c, double[][] b, double[] inverseError, List<Certificate.Position> positions) {

  static PromptRequirements of(PaperLayer layer, double ell, double[][][] inputs, double[][][] targets) {
    List<double[]> cs = new ArrayList<>();
    List<double[]> bs = new ArrayList<>();
    List<Double> eps = new ArrayList<>();
    List<Certificate.Position> at = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].length; j++) {
        double[] x = inputs[i][j];
        MlpInverse.Result inv = MlpInverse.solve(layer, ell, targets[i][j], 1e-15, 100_000);
        cs.add(LinAlg.sub(inv.z(), x));
        bs.add(layer.attention(x, layer.context(inputs[i], j)));
        eps.add(inv.errorBound());
        at.add(new Certificate.Position(i, j));
      }
    }
    return new PromptRequirements(cs.toArray(double[][]::new), bs.toArray(double[][]::new),
        eps.stream().mapToDouble(Double::doubleValue).toArray(), at);
  }

  /** √Σ_k ε_k², a bound on the Frobenius norm of the error of the matrix [c_1 … c_K]. */
  double inverseErrorNorm() {
    double s = 0;
    for (double e : inverseError) s += e * e;
    return Math.sqrt(s);
  }

  /** Upper bound on rank W = W_o·W_v of the single head: singular values above 1e-13·σ_1 (rounding level). */
  static int valueRank(PaperLayer layer) {
    double[][] w = new double[layer.d()][layer.d()];
    double[][] wo = layer.wo()[0];
    double[][] wv = layer.wv()[0];
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w.length; j++) for (int s = 0; s < wv.length; s++) w[i][j] += wo[i][s] * wv[s][j];
    }
    double[] sv = LinAlg.singularValues(w);
    return LinAlg.countAbove(sv, 1e-13 * sv[0]);
  }

  /** Why the prompt-length claims do not apply to {@code model} (empty when they do): paper layer, one head. */
  static List<String> whyNot(org.ptlab.nn.TransformerConfig config) {
    List<String> why = new ArrayList<>(PaperLayer.whyNot(config));
    if (config.heads() != 1) why.add("multi-head attention (h = " + config.heads() + "): a_k is not in one span{W p_j}");
    return why;
  }
}
