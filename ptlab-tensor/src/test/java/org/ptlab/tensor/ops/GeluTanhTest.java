package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradCheck;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** GELU's tanh approximation (GPT-2's gelu_new): values against the formula, gradients against finite differences. */
class GeluTanhTest {
  /** ½·x·(1 + tanh(√(2/π)(x + 0.044715·x³))) written out with Math, independently of the op. */
  private static double formula(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3))));
  }

  @Test
  void valuesMatchTheFormulaInBothDtypes() {
    Tensor x = Tensor.randn(new Rng(3), DType.F64, 3.0, 40_000); // > one chunk: the pooled path too
    Tensor y = x.geluTanh();
    Tensor y32 = x.to(DType.F32).geluTanh();
    for (int i = 0; i < x.numel(); i++) {
      double v = x.getFlat(i);
      assertEquals(formula(v), y.getFlat(i), 1e-15 * (1 + Math.abs(v)), "f64 at " + v);
      double v32 = (float) v;
      assertEquals(formula(v32), y32.getFlat(i), 1.2e-7 * (1 + Math.abs(v32)), "f32 at " + v32);
    }
    // Fixed values computed once with Python's math.tanh from the same formula
    Tensor k = Tensor.of(new double[] {1, -0.5, 0}, 3).geluTanh();
    assertEquals(0.8411919906082768, k.getFlat(0), 1e-15);
    assertEquals(-0.15428599017485606, k.getFlat(1), 1e-15);
    assertEquals(0.0, k.getFlat(2));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    for (long seed = 0; seed < 20; seed++) {
      Tensor x = Tensor.randn(new Rng(seed), DType.F64, 2.0, 3, 5).requiresGrad(true);
      double err = GradCheck.relativeError(in -> in[0].geluTanh(), x);
      assertTrue(err <= 1e-6, "relative error " + err);
    }
  }

  @Test
  void float32GradientMatchesFloat64() {
    Tensor x = Tensor.randn(new Rng(5), DType.F64, 2.0, 64);
    Tensor a = x.copy().requiresGrad(true);
    Tensor b = x.to(DType.F32).requiresGrad(true);
    a.geluTanh().sum().backward();
    b.geluTanh().sum().backward();
    for (int i = 0; i < x.numel(); i++) {
      assertEquals(a.grad().getFlat(i), b.grad().getFlat(i), 1e-6 * (1 + Math.abs(x.getFlat(i))));
    }
  }

  @Test
  void inPlaceEqualsTheGraphOpAndRefusesAGradientInput() {
    for (DType dt : DType.values()) {
      Tensor x = Tensor.randn(new Rng(9), dt, 2.0, 20_000);
      Tensor want = x.geluTanh();
      Tensor same = x.copy();
      try (GradMode.Scope s = GradMode.noGrad()) {
        assertTrue(same.geluTanhInPlace() == same);
      }
      assertArrayEquals(want.toDoubleArray(), same.toDoubleArray(), dt + " in place");
      Tensor g = x.copy().requiresGrad(true);
      assertThrows(IllegalStateException.class, g::geluTanhInPlace);
    }
  }
}
