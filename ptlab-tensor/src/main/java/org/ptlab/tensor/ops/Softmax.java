package org.ptlab.tensor.ops;

import org.ptlab.tensor.Shape;
import org.ptlab.tensor.Tensor;

/**
 * softmax, log-softmax and hardmax along one axis (viewed as [outer, n, inner]); max-subtracted for stability.
 * Backward: softmax dx = y⊙(g − Σg⊙y); log-softmax dx = g − softmax(x)·Σg. Hardmax has no gradient.
 */
public final class Softmax {
  private Softmax() {}

  public static Tensor softmax(Tensor x, int axis) {
    int ax = Shape.axis("softmax", axis, x.rank());
    Tensor y = compute(x, ax, false);
    return Tensor.record(y, "softmax", (g, grads) -> {
      Tensor gy = g.mul(y);
      grads.add(0, gy.sub(y.mul(gy.sum(ax, true))));
    }, x);
  }

  public static Tensor logSoftmax(Tensor x, int axis) {
    int ax = Shape.axis("logSoftmax", axis, x.rank());
    Tensor y = compute(x, ax, true);
    return Tensor.record(y, "logSoftmax", (g, grads) -> grads.add(0, g.sub(y.exp().mul(g.sum(ax, true)))), x);
  }

  /**
   * One-hot of the arg-max along the axis (ties split evenly among the maxima, as in Wang et al.'s hardmax
   * attention). Forward only: it is for constructions, not training.
   */
  public static Tensor hardmax(Tensor x, int axis) {
    int ax = Shape.axis("hardmax", axis, x.rank());
    int[] s = x.shape();
    int outer = Shape.prod(s, 0, ax);
    int n = s[ax];
    int inner = Shape.prod(s, ax + 1, s.length);
    Tensor y = Tensor.zeros(x.dtype(), s);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) best = Math.max(best, x.getFlat((o * n + j) * inner + i));
        int ties = 0;
        for (int j = 0; j < n; j++) if (x.getFlat((o * n + j) * inner + i) == best) ties++;
        for (int j = 0; j < n; j++) {
          int at = (o * n + j) * inner + i;
          if (x.getFlat(at) == best) y.setFlat(at, 1.0 / ties);
        }
      }
    }
    return y;
  }

  /** Row-wise softmax (or log-softmax) with no graph. */
  static Tensor compute(Tensor x, int ax, boolean log) {
    int[] s = x.shape();
    int outer = Shape.prod(s, 0, ax);
    int n = s[ax];
    int inner = Shape.prod(s, ax + 1, s.length);
    Tensor y = Tensor.zeros(x.dtype(), s);
    if (inner == 1 && x.f64() != null) {
      for (int o = 0; o < outer; o++) rowF64(x.f64(), x.offset() + o * n, y.f64(), o * n, n, log);
      return y;
    }
    if (inner == 1) {
      for (int o = 0; o < outer; o++) rowF32(x.f32(), x.offset() + o * n, y.f32(), o * n, n, log);
      return y;
    }
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, x.getFlat(base + j * inner));
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.exp(x.getFlat(base + j * inner) - max);
        double logSum = Math.log(sum);
        for (int j = 0; j < n; j++) {
          double z = x.getFlat(base + j * inner) - max;
          y.setFlat(base + j * inner, log ? z - logSum : Math.exp(z) / sum);
        }
      }
    }
    return y;
  }

  /** Softmax of x[xo, xo+n) into y[yo, yo+n). Modifies y. */
  public static void rowF64(double[] x, int xo, double[] y, int yo, int n, boolean log) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double e = Math.exp(x[xo + j] - max);
      y[yo + j] = e;
      sum += e;
    }
    if (log) {
      double logSum = Math.log(sum);
      for (int j = 0; j < n; j++) y[yo + j] = x[xo + j] - max - logSum;
    } else {
      double inv = 1.0 / sum;
      for (int j = 0; j < n; j++) y[yo + j] *= inv;
    }
  }

  /** Softmax of x[xo, xo+n) into y[yo, yo+n), accumulating in double. Modifies y. */
  public static void rowF32(float[] x, int xo, float[] y, int yo, int n, boolean log) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) max = Math.max(max, x[xo + j]);
    double sum = 0;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp(x[xo + j] - max);
      y[yo + j] = e;
      sum += e;
    }
    if (log) {
      float logSum = (float) Math.log(sum);
      for (int j = 0; j < n; j++) y[yo + j] = x[xo + j] - max - logSum;
    } else {
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < n; j++) y[yo + j] *= inv;
    }
  }
}
