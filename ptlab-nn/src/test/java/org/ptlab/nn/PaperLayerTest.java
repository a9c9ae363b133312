package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.nn.NnFixtures.add;
import static org.ptlab.nn.NnFixtures.assertClose;
import static org.ptlab.nn.NnFixtures.combine;
import static org.ptlab.nn.NnFixtures.dot;
import static org.ptlab.nn.NnFixtures.matVec;
import static org.ptlab.nn.NnFixtures.matrix;
import static org.ptlab.nn.NnFixtures.row;
import static org.ptlab.nn.NnFixtures.softmax;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The paper preset is the seeds' layer τ(X) = MLP(Att(X, X) + X), MLP(z) = z + W2·ReLU(W1·z + b1) + b2 (wang2023.md
 * §1.2–1.3), written out here token by token over the model's own weights.
 */
class PaperLayerTest {
  private static final String L0 = "encoder.layer.0.";

  @Test
  void paperPresetIsTheHandFormula() {
    int d = 4;
    int r = 6;
    Transformer model = Transformer.create(Presets.paper(d, r), new Rng(1));
    ParameterSet p = model.parameters();
    assertEquals(Set.of(L0 + "attention.self.query.weight", L0 + "attention.self.key.weight",
        L0 + "attention.self.value.weight", L0 + "attention.output.dense.weight", L0 + "intermediate.dense.weight",
        L0 + "intermediate.dense.bias", L0 + "output.dense.weight", L0 + "output.dense.bias"), p.all().keySet(),
        "the paper layer has W_q, W_k, W_v, W_o, W1, b1, W2, b2 and nothing else");
    // Non-zero biases, so a bias that is dropped or added twice shows.
    p.get(L0 + "intermediate.dense.bias").copyFrom(NnFixtures.randn(7, r));
    p.get(L0 + "output.dense.bias").copyFrom(NnFixtures.randn(8, d));

    double[][] wq = matrix(p.get(L0 + "attention.self.query.weight"));
    double[][] wk = matrix(p.get(L0 + "attention.self.key.weight"));
    double[][] wv = matrix(p.get(L0 + "attention.self.value.weight"));
    double[][] wo = matrix(p.get(L0 + "attention.output.dense.weight"));
    double[][] w1 = matrix(p.get(L0 + "intermediate.dense.weight"));
    double[] b1 = p.get(L0 + "intermediate.dense.bias").toDoubleArray();
    double[][] w2 = matrix(p.get(L0 + "output.dense.weight"));
    double[] b2 = p.get(L0 + "output.dense.bias").toDoubleArray();

    int batch = 2;
    int m = 5;
    Tensor x = NnFixtures.randn(3, batch, m, d);
    Tensor y = model.forward(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL);
    assertEquals(java.util.List.of(batch, m, d), java.util.List.of(y.dim(0), y.dim(1), y.dim(2)));

    for (int b = 0; b < batch; b++) {
      double[][] xs = new double[m][];
      double[][] keys = new double[m][];
      double[][] values = new double[m][];
      for (int j = 0; j < m; j++) {
        xs[j] = row(x, b, j);
        keys[j] = matVec(wk, xs[j]);
        values[j] = matVec(wv, xs[j]);
      }
      for (int i = 0; i < m; i++) {
        double[] q = matVec(wq, xs[i]);
        double[] s = new double[m];
        for (int j = 0; j < m; j++) s[j] = dot(keys[j], q); // s_j = (W_k x_j)ᵀ W_q x_i, no extra scale
        double[] att = matVec(wo, combine(softmax(s), values)); // W_o W_v X softmax(s)
        double[] z = add(att, xs[i]);
        double[] h = add(matVec(w1, z), b1);
        for (int k = 0; k < h.length; k++) h[k] = Math.max(0, h[k]);
        double[] expected = add(z, add(matVec(w2, h), b2));
        assertClose(expected, row(y, b, i), 1e-12, "tau(X) at batch " + b + ", token " + i);
      }
    }
  }
}
