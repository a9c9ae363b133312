package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Fixed-point inversion of residual blocks: the measured error of every iterate is within L^k/(1−L)·‖z1 − z0‖. */
class ResidualFixedPointInverseTest {
  @Test
  void mlpBlockErrorPerIterationNeverExceedsTheBound() {
    for (Activation act : Activation.values()) {
      Transformer model = Models.custom(8, 16, 1, 1, 8, act, true, 40);
      ContractiveScaling.scale(model, 1.0, 0.9, 0.7, 1.0);
      BlockBranches br = new BlockBranches(model);
      double lip = MlpLipschitzBound.of(BlockWeights.of(model, 0)).lipschitz();
      UnaryOperator<double[]> g = z -> noGrad(() -> br.mlp(0, Tensor.of(z, 1, 8)).toDoubleArray());
      double[] zStar = Models.onSphere(new Rng(2), 1, 1, 8, 3.0);
      double[] y = add(zStar, g.apply(zStar.clone()));
      ResidualFixedPointInverse.Result r = ResidualFixedPointInverse.invert(g, y, y, lip, 60,
          ResidualFixedPointInverse::euclidean);
      assertBoundHolds(r, zStar, ResidualFixedPointInverse::euclidean, "mlp " + act);
      assertArrayEquals(zStar, r.z(), 1e-7);
    }
  }

  @Test
  void attentionBlockOfACausalPromptedModelIsInvertedWithinItsBound() {
    int d = 8;
    int m = 4;
    Transformer model = Models.custom(d, 16, 1, 1, d, Activation.RELU, true, 41);
    ContractiveScaling.scale(model, 1.0, 0.9, 0.5, 1.0);
    BlockBranches br = new BlockBranches(model);
    Rng rng = new Rng(3);
    Tensor prompt = Models.prompt(rng, 2, d, 1.0);
    double lip = AttentionLipschitzBound.of(BlockWeights.of(model, 0), 1.0).spec(); // 0.9 on the unit ball
    UnaryOperator<double[]> g = u -> noGrad(() -> br.attentionAtInputs(0, prompt, Tensor.of(u, 1, m, d))
        .toDoubleArray());
    double[] uStar = Models.onSphere(rng, 1, m, d, 0.6);
    double[] y = add(uStar, g.apply(uStar.clone()));
    ResidualFixedPointInverse.Result r = ResidualFixedPointInverse.invert(g, y, y, lip, 150, x -> ObservedGain.infTwo(x, d));
    System.out.printf(Locale.ROOT, "attention inverse: L = %.2f, max iterate radius %.3f (ball 1.0), final error %.2e%n",
        lip, r.maxNorm(), ObservedGain.infTwo(ResidualFixedPointInverse.difference(r.z(), uStar), d));
    assertTrue(r.maxNorm() <= 1.0, "iterates left the ball where L holds: " + r.maxNorm());
    assertBoundHolds(r, uStar, x -> ObservedGain.infTwo(x, d), "attention");
  }

  @Test
  void c4WholeModelIsInvertedLayerByLayerFromItsOutput() {
    int d = 8;
    int m = 4;
    Transformer model = Models.custom(d, 16, 3, 1, d, Activation.RELU, true, 12);
    ContractiveScaling.scale(model, 1.0, 0.9, 0.5, 1.0);
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, 1.0, 1.0, 2);
    BlockBranches br = new BlockBranches(model);
    Rng rng = new Rng(4);
    Tensor prompt = Models.prompt(rng, 2, d, 1.0);
    Tensor[] states = noGrad(() -> br.promptStates(prompt));
    double[] x = Models.onSphere(rng, 1, m, d, 0.9);
    double[] y = noGrad(() -> br.encode(prompt, Tensor.of(x.clone(), 1, m, d)).toDoubleArray());
    for (int l = 2; l >= 0; l--) {
      int layer = l;
      UnaryOperator<double[]> g = z -> noGrad(() -> br.mlp(layer, Tensor.of(z, m, d)).toDoubleArray());
      double[] h = ResidualFixedPointInverse.invert(g, y, y, c.layers().get(l).mlp().lipschitz(), 80,
          ResidualFixedPointInverse::euclidean).z();
      UnaryOperator<double[]> att = u -> noGrad(() -> br.attentionAtInputs(layer, states[layer], Tensor.of(u, 1, m, d))
          .toDoubleArray());
      y = ResidualFixedPointInverse.invert(att, h, h, c.layers().get(l).attention().spec(), 400,
          u -> ObservedGain.infTwo(u, d)).z();
    }
    assertArrayEquals(x, y, 1e-9);
  }

  @Test
  void boundArithmetic() {
    assertEquals(0.5 * 0.5 / 0.5 * 2, ResidualFixedPointInverse.bound(0.5, 2, 2), 1e-15);
    int k = ResidualFixedPointInverse.iterationsFor(0.5, 1, 1e-6);
    assertTrue(ResidualFixedPointInverse.bound(0.5, k, 1) <= 1e-6 && ResidualFixedPointInverse.bound(0.5, k - 1, 1) > 1e-6);
    assertThrows(IllegalArgumentException.class, () -> ResidualFixedPointInverse.invert(z -> z, new double[1],
        new double[1], 1.0, 3, ResidualFixedPointInverse::euclidean));
  }

  private static void assertBoundHolds(ResidualFixedPointInverse.Result r, double[] zStar,
      java.util.function.ToDoubleFunction<double[]> norm, String what) {
    for (int k = 0; k < r.iterates().size(); k++) {
      double err = norm.applyAsDouble(ResidualFixedPointInverse.difference(r.iterates().get(k), zStar));
      assertTrue(err <= r.bound(k) + 1e-12, what + ": iterate " + k + " error " + err + " > bound " + r.bound(k));
    }
  }

  private static double[] add(double[] a, double[] b) {
    double[] out = a.clone();
    for (int i = 0; i < a.length; i++) out[i] += b[i];
    return out;
  }

  private static <T> T noGrad(java.util.function.Supplier<T> f) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      return f.get();
    }
  }
}
