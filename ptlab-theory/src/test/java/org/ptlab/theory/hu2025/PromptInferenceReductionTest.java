package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Check E1 of spec hu2025.md §7 E, through the real {@link Transformer} (the paper preset) rather than a
 * stand-alone layer: with W_Q = W_K = W_V = W_O = I and a zero FFN (W_2 = 0, b_2 = 0), prompt-tuning inference
 * τ([P, X])_{L_p:} − X is plain attention softmax(X_p X_pᵀ) X_p on the concatenated sequence, at the input rows.
 */
class PromptInferenceReductionTest {
  @Test
  void e1IdentityWeightsAndZeroFfnGivePlainAttentionOnTheConcatenation() {
    int d = 3;
    int lp = 4;
    int len = 5;
    Rng rng = new Rng(7);
    Transformer model = Transformer.create(Presets.paper(d, 6), rng);
    for (String m : new String[] {"query", "key", "value"}) identity(model, "encoder.layer.0.attention.self." + m);
    identity(model, "encoder.layer.0.attention.output.dense");
    model.parameters().get("encoder.layer.0.output.dense.weight").fill(0);
    model.parameters().get("encoder.layer.0.output.dense.bias").fill(0);
    Tensor p = Tensor.rand(rng, DType.F64, -1, 1, lp, d);
    Tensor x = Tensor.rand(rng, DType.F64, -1, 1, 1, len, d);
    Tensor y = model.forward(ModelInput.ofVectors(x), new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return p;
      }
    }, ForwardMode.EVAL); // [1, len, d]
    double[] xp = Tensor.concat(0, p, x.reshape(len, d)).toDoubleArray(); // X_p [n, d]
    int n = lp + len;
    double[] att = ExactAttention.dense(xp, n, xp, n, d, xp, d, 1.0, null);
    double[] out = y.toDoubleArray();
    double worst = 0;
    for (int i = 0; i < len * d; i++) worst = Math.max(worst, Math.abs(out[i] - xp[lp * d + i] - att[lp * d + i]));
    assertTrue(worst < 1e-14, "max difference " + worst);
  }

  private static void identity(Transformer model, String linear) {
    Tensor w = model.parameters().get(linear + ".weight");
    w.fill(0);
    for (int i = 0; i < w.dim(0); i++) w.setFlat(i * w.dim(1) + i, 1);
  }
}
