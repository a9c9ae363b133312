package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;

/**
 * GELU's tanh approximation, the activation GPT-2 configs call {@code gelu_new} (PyTorch's
 * {@code gelu(approximate="tanh")}, HF's {@code gelu_pytorch_tanh}): y = ½·x·(1 + tanh(u)) with
 * u = √(2/π)·(x + 0.044715·x³); derivative ½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(u).
 *
 * <p>Both dtypes compute in double with {@link StrictMath#tanh} (float32 rounds the result once), so the values
 * are the same bits interpreted and JIT-compiled and do not depend on the platform's tanh. Scalar on purpose: only
 * GPT-2 folders use it, and it is a small part of their forward next to the matmuls. Large tensors are split over
 * the pool in fixed chunks (element-wise, so the result does not depend on the thread count).
 */
public final class GeluTanh {
  private static final double SQRT_2_OVER_PI = 0.7978845608028654;
  private static final double A = 0.044715;
  private static final int CHUNK = 1 << 14;

  private GeluTanh() {}

  /** y for one value, in double: the formula above. */
  public static double value(double x) {
    return 0.5 * x * (1 + StrictMath.tanh(SQRT_2_OVER_PI * (x + A * x * x * x)));
  }

  /** dy/dx for one value. */
  public static double derivative(double x) {
    double t = StrictMath.tanh(SQRT_2_OVER_PI * (x + A * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * A * x * x);
  }

  /** The activation as a new tensor, recorded for the backward (which recomputes tanh from x). */
  public static Tensor forward(Tensor x) {
    Tensor out = Tensor.zeros(x.dtype(), x.shape());
    int xo = x.offset();
    if (x.dtype() == DType.F64) {
      double[] xa = x.f64();
      double[] oa = out.f64();
      chunks(x.numel(), (s, n) -> {
        for (int i = s; i < s + n; i++) oa[i] = value(xa[xo + i]);
      });
    } else {
      float[] xa = x.f32();
      float[] oa = out.f32();
      chunks(x.numel(), (s, n) -> {
        for (int i = s; i < s + n; i++) oa[i] = (float) value(xa[xo + i]);
      });
    }
    return Tensor.record(out, "geluTanh", (g, grads) -> grads.add(0, backward(x, g)), x);
  }

  /**
   * The activation written over x itself, with no graph (a caller's own intermediate that nothing else reads). The
   * same values as {@link #forward}. Modifies x.
   *
   * @throws IllegalStateException if grad mode would record the op (the backward needs x unchanged)
   */
  public static Tensor inPlace(Tensor x) {
    if (Tensor.willRecord(x)) throw new IllegalStateException("geluTanhInPlace: the input needs a gradient; use geluTanh");
    int xo = x.offset();
    if (x.dtype() == DType.F64) {
      double[] xa = x.f64();
      chunks(x.numel(), (s, n) -> {
        for (int i = xo + s; i < xo + s + n; i++) xa[i] = value(xa[i]);
      });
    } else {
      float[] xa = x.f32();
      chunks(x.numel(), (s, n) -> {
        for (int i = xo + s; i < xo + s + n; i++) xa[i] = (float) value(xa[i]);
      });
    }
    x.markModified();
    return x;
  }

  private static Tensor backward(Tensor x, Tensor g) {
    Tensor d = Tensor.zeros(g.dtype(), g.shape());
    int xo = x.offset();
    int go = g.offset();
    if (g.dtype() == DType.F64) {
      double[] xa = x.f64();
      double[] ga = g.f64();
      double[] da = d.f64();
      chunks(d.numel(), (s, n) -> {
        for (int i = s; i < s + n; i++) da[i] = ga[go + i] * derivative(xa[xo + i]);
      });
    } else {
      float[] xa = x.f32();
      float[] ga = g.f32();
      float[] da = d.f32();
      chunks(d.numel(), (s, n) -> {
        for (int i = s; i < s + n; i++) da[i] = (float) (ga[go + i] * derivative(xa[xo + i]));
      });
    }
    return d;
  }

  private interface Chunk {
    void run(int start, int length);
  }

  private static void chunks(int n, Chunk body) {
    int tasks = (n + CHUNK - 1) / CHUNK;
    if (tasks <= 1) {
      body.run(0, n);
      return;
    }
    Parallel.defaults().forEach(tasks, t -> body.run(t * CHUNK, Math.min(CHUNK, n - t * CHUNK)));
  }
}
