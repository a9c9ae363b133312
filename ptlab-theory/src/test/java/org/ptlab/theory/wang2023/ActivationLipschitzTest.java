package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

class ActivationLipschitzTest {
  @Test
  void geluConstantIsTheClosedFormAtRootTwoNotOne() {
    double x = Math.sqrt(2);
    double closed = 0.5 * (1 + org.ptlab.tensor.ops.Erf.erf(1.0)) + x * Math.exp(-1) / Math.sqrt(2 * Math.PI);
    assertEquals(closed, ActivationLipschitz.gelu(), 1e-12);
    assertTrue(ActivationLipschitz.gelu() >= closed, "a Lipschitz constant must not be below the supremum");
    assertEquals(1.1289, ActivationLipschitz.gelu(), 1e-4);
    assertEquals(1.0, ActivationLipschitz.of(Activation.RELU));
    assertEquals(ActivationLipschitz.gelu(), ActivationLipschitz.of(Activation.GELU));
  }

  @Test
  void noSecantSlopeOfTheModelsGeluExceedsIt() {
    int n = 20001;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) xs[i] = -10 + 20.0 * i / (n - 1);
    double[] y = Tensor.of(xs.clone(), n).gelu().toDoubleArray(); // the engine's own GELU
    double worst = 0;
    for (int i = 1; i < n; i++) worst = Math.max(worst, Math.abs(y[i] - y[i - 1]) / (xs[i] - xs[i - 1]));
    assertTrue(worst <= ActivationLipschitz.gelu() + 1e-12, "secant slope " + worst);
    assertTrue(worst > 1.128, "the grid should see the overshoot above 1, got " + worst);
    assertEquals(DType.F64, Tensor.of(xs, n).dtype());
  }

  /** GPT-2's gelu_new: its peak slope (≈ 1.128993, found with Python on a 1e-4 grid) bounds every secant slope. */
  @Test
  void theTanhApproximationHasItsOwnSlightlyLargerConstant() {
    double c = ActivationLipschitz.of(Activation.GELU_TANH);
    assertEquals(1.128993068655481, c, 1e-9);
    assertTrue(c > ActivationLipschitz.gelu(), "the tanh form overshoots a little more than exact GELU");
    int n = 20001;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) xs[i] = -10 + 20.0 * i / (n - 1);
    double[] y = Tensor.of(xs.clone(), n).geluTanh().toDoubleArray();
    double worst = 0;
    for (int i = 1; i < n; i++) worst = Math.max(worst, Math.abs(y[i] - y[i - 1]) / (xs[i] - xs[i - 1]));
    assertTrue(worst <= c + 1e-12 && worst > 1.1289, "secant slope " + worst);
  }
}
