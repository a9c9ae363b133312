package org.ptlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

class AutogradTest {
  @Test
  void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
    Tensor w = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
    w.mul(w).sum().backward(); // d/dw Σw² = 2w
    w.sum().backward();        // + 1
    assertArrayEquals(new double[] {3, 5, 7}, w.grad().toDoubleArray());
    w.zeroGrad();
    assertNull(w.grad());
  }

  @Test
  void sharedSubexpressionSumsBothPaths() {
    Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
    Tensor y = x.exp();
    y.add(y.mul(y)).sum().backward(); // d/dx (e^x + e^2x) = e^x + 2e^2x
    assertEquals(Math.exp(2) + 2 * Math.exp(4), x.grad().item(), 1e-9);
  }

  @Test
  void detachAndNoGradRecordNothing() {
    Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    assertFalse(w.mul(w).detach().requiresGrad());
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor y = w.mul(w);
      assertFalse(y.requiresGrad());
      assertTrue(y.isLeaf());
    }
    assertTrue(w.mul(w).requiresGrad());
  }

  @Test
  void noGradIsPerThread() throws Exception {
    Tensor w = Tensor.of(new double[] {1}, 1).requiresGrad(true);
    try (GradMode.Scope s = GradMode.noGrad()) {
      boolean[] other = new boolean[1];
      Thread t = new Thread(() -> other[0] = w.mul(w).requiresGrad());
      t.start();
      t.join();
      assertTrue(other[0], "another thread's graph must be recorded");
    }
  }

  @Test
  void secondBackwardOnFreedGraphThrowsClearly() {
    Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    Tensor loss = w.exp().sum();
    loss.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertTrue(e.getMessage().contains("freed graph"), e.getMessage());
  }

  @Test
  void retainGraphAllowsSecondBackward() {
    Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    Tensor loss = w.exp().sum();
    loss.backward(true);
    loss.backward(true);
    assertEquals(2 * Math.exp(1), w.grad().getFlat(0), 1e-12);
  }

  @Test
  void anomalyDetectionNamesTheOp() {
    Tensor w = Tensor.of(new double[] {0, 1}, 2).requiresGrad(true);
    Tensor loss = w.sqrt().sum(); // d sqrt at 0 = inf
    try (GradMode.Scope s = GradMode.detectAnomalies()) {
      AnomalyException e = assertThrows(AnomalyException.class, loss::backward);
      assertTrue(e.getMessage().contains("sqrt"), e.getMessage());
    }
    Tensor again = w.sqrt().sum();
    again.backward(); // without the switch, inf flows through silently (as in torch)
    assertTrue(Double.isInfinite(w.grad().getFlat(0)));
  }

  @Test
  void shapeErrorsNameOpAndShapes() {
    Tensor a = Tensor.zeros(DType.F64, 2, 3);
    Tensor b = Tensor.zeros(DType.F64, 4, 5);
    ShapeException mm = assertThrows(ShapeException.class, () -> a.matmul(b));
    assertTrue(mm.getMessage().contains("matmul") && mm.getMessage().contains("[2, 3]")
        && mm.getMessage().contains("[4, 5]"), mm.getMessage());
    ShapeException add = assertThrows(ShapeException.class, () -> a.add(Tensor.zeros(DType.F64, 2)));
    assertTrue(add.getMessage().contains("add") && add.getMessage().contains("[2, 3]"), add.getMessage());
    ShapeException dt = assertThrows(ShapeException.class, () -> a.add(Tensor.zeros(DType.F32, 2, 3)));
    assertTrue(dt.getMessage().contains("dtype"), dt.getMessage());
    assertThrows(ShapeException.class, () -> a.reshape(4, 2));
    assertThrows(ShapeException.class, () -> a.crossEntropy(new int[] {0, 3}));
    assertThrows(ShapeException.class, () -> a.gather(new int[] {2}));
  }

  @Test
  void viewsShareStorage() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor row = x.slice(0, 1, 2);
    assertEquals(2, row.offset());
    assertArrayEquals(new double[] {3, 4}, row.toDoubleArray());
    assertEquals(x.f64(), x.reshape(6).f64());
  }

  @Test
  void broadcastingValues() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36},
        x.add(Tensor.of(new double[] {10, 20, 30}, 3)).toDoubleArray());
    assertArrayEquals(new double[] {10, 20, 30, 80, 100, 120},
        x.mul(Tensor.of(new double[] {10, 20}, 2, 1)).toDoubleArray());
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, x.sub(Tensor.of(new double[] {1}, 1)).toDoubleArray());
  }

  @Test
  void gradCheckCatchesAWrongBackward() {
    Tensor x = Tensor.randn(new Rng(1), DType.F64, 1, 4).requiresGrad(true);
    // y = x² but the recorded rule claims dy/dx = x
    double err = GradCheck.relativeError(in -> {
      Tensor y = Tensor.zeros(DType.F64, 4);
      for (int i = 0; i < 4; i++) y.setFlat(i, in[0].getFlat(i) * in[0].getFlat(i));
      return Tensor.record(y, "wrong", (g, grads) -> grads.add(0, g.mul(in[0])), in[0]);
    }, x);
    assertTrue(err > 0.1, "a wrong gradient must be detected, error " + err);
  }

  @Test
  void castGradientConvertsBack() {
    Tensor x = Tensor.of(new double[] {0.5, -2}, 2).requiresGrad(true);
    x.to(DType.F32).mul(Tensor.of(new float[] {3, 4}, 2)).sum().backward();
    assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray());
    assertEquals(DType.F64, x.grad().dtype());
  }

  @Test
  void hardmaxSplitsTies() {
    Tensor h = Tensor.of(new double[] {1, 3, 3, 0, 5, 2}, 2, 3).hardmax(1);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 1, 0}, h.toDoubleArray());
  }

  @Test
  void geluMatchesReferenceValues() {
    // x·Φ(x) at 1 and -0.5 (Φ from tables: 0.8413447460685429, 0.3085375387259869)
    Tensor y = Tensor.of(new double[] {1, -0.5}, 2).gelu();
    assertEquals(0.8413447460685429, y.getFlat(0), 1e-15);
    assertEquals(-0.5 * 0.3085375387259869, y.getFlat(1), 1e-15);
  }
}
