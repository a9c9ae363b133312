package org.ptlab.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

class OptimizerTest {
  /** Gradient of step t for element i: a fixed, sign-changing sequence. */
  static double grad(int t, int i) {
    return Math.sin(1.3 * t + 0.7 * i) * (1 + i);
  }

  /** torch.optim.Adam/AdamW as documented: m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), p −= lr·m̂/(√v̂ + eps). */
  static double[] handAdam(double[] p0, AdamConfig c, int steps) {
    double[] p = p0.clone();
    double[] m = new double[p.length];
    double[] v = new double[p.length];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < p.length; i++) {
        double g = grad(t, i);
        if (c.decoupled()) p[i] = p[i] - c.lr() * c.weightDecay() * p[i];
        else g = g + c.weightDecay() * p[i];
        m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
        v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
        double mh = m[i] / (1 - Math.pow(c.beta1(), t));
        double vh = v[i] / (1 - Math.pow(c.beta2(), t));
        p[i] = p[i] - c.lr() * mh / (Math.sqrt(vh) + c.eps());
      }
    }
    return p;
  }

  static double[] runOptimizer(Tensor p, Optimizer opt, int fromStep, int steps) {
    for (int t = fromStep + 1; t <= fromStep + steps; t++) {
      Tensor g = Tensor.zeros(p.dtype(), p.shape());
      for (int i = 0; i < p.numel(); i++) g.setFlat(i, grad(t, i));
      p.setGrad(g);
      opt.step();
    }
    return p.toDoubleArray();
  }

  @Test
  void adamMatchesTorchFormula() {
    double[] p0 = {0.5, -1.0, 2.0, 0.0};
    for (AdamConfig c : List.of(AdamConfig.adam(0.01), AdamConfig.adam(0.1).withWeightDecay(0.05),
        AdamConfig.adamW(0.01), new AdamConfig(0.003, 0.8, 0.99, 1e-6, 0.1, true))) {
      Tensor p = Tensor.of(p0.clone(), 4).requiresGrad(true);
      double[] got = runOptimizer(p, new Adam(List.of(p), c), 0, 25);
      double[] want = handAdam(p0, c, 25);
      for (int i = 0; i < 4; i++) assertEquals(want[i], got[i], 1e-12, c + " element " + i);
    }
  }

  @Test
  void adamFloat32TracksFloat64() {
    double[] p0 = {0.5, -1.0, 2.0, 0.0};
    Tensor p32 = Tensor.of(new float[] {0.5f, -1f, 2f, 0f}, 4).requiresGrad(true);
    Adam opt = new Adam(List.of(p32), AdamConfig.adamW(0.01));
    for (int t = 1; t <= 25; t++) {
      Tensor g = Tensor.zeros(DType.F32, 4);
      for (int i = 0; i < 4; i++) g.setFlat(i, grad(t, i));
      p32.setGrad(g);
      opt.step();
    }
    double[] want = handAdam(p0, AdamConfig.adamW(0.01), 25);
    for (int i = 0; i < 4; i++) assertEquals(want[i], p32.getFlat(i), 1e-5);
  }

  @Test
  void sgdMomentumAndNesterovMatchTorchFormula() {
    for (boolean nesterov : new boolean[] {false, true}) {
      double lr = 0.1;
      double mu = 0.9;
      double wd = 0.01;
      double[] p = {1.0, -2.0};
      double[] b = new double[2];
      Tensor t = Tensor.of(p.clone(), 2).requiresGrad(true);
      Sgd opt = new Sgd(List.of(t), lr, mu, 0, wd, nesterov);
      runOptimizer(t, opt, 0, 10);
      for (int step = 1; step <= 10; step++) {
        for (int i = 0; i < 2; i++) {
          double g = grad(step, i) + wd * p[i];
          b[i] = step == 1 ? g : mu * b[i] + g;
          p[i] -= lr * (nesterov ? g + mu * b[i] : b[i]);
        }
      }
      assertArrayEquals(p, t.toDoubleArray(), 1e-12);
    }
  }

  @Test
  void stateRestoresBitExactly() {
    Tensor a = Tensor.randn(new Rng(1), DType.F32, 1, 3, 4).requiresGrad(true);
    Adam opt = new Adam(List.of(a), AdamConfig.adamW(0.05));
    runOptimizer(a, opt, 0, 7);
    OptimizerState saved = opt.state();
    Tensor snapshot = a.copy();
    double[] straight = runOptimizer(a, opt, 7, 5);

    Tensor b = snapshot.copy().requiresGrad(true);
    Adam resumed = new Adam(List.of(b), AdamConfig.adamW(0.05));
    resumed.restore(saved);
    double[] again = runOptimizer(b, resumed, 7, 5);
    assertArrayEquals(straight, again, 0.0);
    assertEquals(12, resumed.steps());
  }

  @Test
  void clipByGlobalNormScalesOnlyWhenAbove() {
    Tensor a = Tensor.of(new double[] {3}, 1).requiresGrad(true);
    Tensor b = Tensor.of(new double[] {4}, 1).requiresGrad(true);
    a.setGrad(Tensor.of(new double[] {3}, 1));
    b.setGrad(Tensor.of(new double[] {4}, 1));
    assertEquals(5.0, GradClip.clipByGlobalNorm(List.of(a, b), 1.0), 1e-15);
    assertEquals(3 / (5 + 1e-6), a.grad().item(), 1e-15);
    assertEquals(4 / (5 + 1e-6), b.grad().item(), 1e-15);
    GradClip.clipByGlobalNorm(List.of(a, b), 10.0);
    assertEquals(3 / (5 + 1e-6), a.grad().item(), 1e-15);
  }

  @Test
  void schedules() {
    assertEquals(0.1, LrSchedule.constant(0.1).lr(1000));
    LrSchedule w = LrSchedule.linearWarmup(1.0, 4);
    assertEquals(0.25, w.lr(0));
    assertEquals(1.0, w.lr(3));
    assertEquals(1.0, w.lr(100));
    LrSchedule lin = LrSchedule.linear(1.0, 2, 10);
    assertEquals(1.0, lin.lr(2), 1e-15);
    assertEquals(0.5, lin.lr(6), 1e-15);
    assertEquals(0.0, lin.lr(10), 1e-15);
    LrSchedule cos = LrSchedule.cosine(1.0, 0.1, 0, 10);
    assertEquals(1.0, cos.lr(0), 1e-15);
    assertEquals(0.55, cos.lr(5), 1e-15);
    assertEquals(0.1, cos.lr(10), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 0, 5, 5));
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> AdamConfig.adam(-1));
    assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.1, 1.0, 0.9, 1e-8, 0, false));
    Tensor notTrainable = Tensor.zeros(DType.F64, 2);
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(notTrainable), AdamConfig.adam(0.1)));
  }
}
