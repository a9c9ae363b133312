package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.ElementwiseF32;
import org.ptlab.tensor.kernel.ElementwiseF64;
import org.ptlab.tensor.kernel.Parallel;

/**
 * Element-wise functions of one tensor, each with its derivative: a·x + c, exp, log, sqrt, tanh, ReLU, exact
 * GELU x·Φ(x), square, and dtype casts. Output has the input's shape and dtype (casts excepted).
 */
public final class Unary {
  private static final int EXP = 0;
  private static final int LOG = 1;
  private static final int SQRT = 2;
  private static final int TANH = 3;
  private static final int SQUARE = 5;
  private static final double INV_SQRT2 = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;
  private static final int CHUNK = 1 << 14;

  private Unary() {}

  /** a·x + c. */
  public static Tensor affine(Tensor x, double a, double c) {
    Tensor out = Tensor.zeros(x.dtype(), x.shape());
    if (x.dtype() == DType.F64) {
      ElementwiseF64.affine(a, c, x.f64(), x.offset(), out.f64(), 0, x.numel());
    } else {
      ElementwiseF32.affine((float) a, (float) c, x.f32(), x.offset(), out.f32(), 0, x.numel());
    }
    return Tensor.record(out, "affine", (g, grads) -> grads.add(0, affine(g, a, 0)), x);
  }

  public static Tensor exp(Tensor x) {
    Tensor out = map(EXP, x);
    return Tensor.record(out, "exp", (g, grads) -> grads.add(0, g.mul(out)), x);
  }

  public static Tensor log(Tensor x) {
    Tensor out = map(LOG, x);
    return Tensor.record(out, "log", (g, grads) -> grads.add(0, g.div(x)), x);
  }

  public static Tensor sqrt(Tensor x) {
    Tensor out = map(SQRT, x);
    return Tensor.record(out, "sqrt", (g, grads) -> grads.add(0, g.div(out).mul(0.5)), x);
  }

  public static Tensor tanh(Tensor x) {
    Tensor out = map(TANH, x);
    // d tanh = 1 − tanh²
    return Tensor.record(out, "tanh", (g, grads) -> grads.add(0, g.mul(out.square().neg().add(1.0))), x);
  }

  public static Tensor square(Tensor x) {
    Tensor out = map(SQUARE, x);
    return Tensor.record(out, "square", (g, grads) -> grads.add(0, g.mul(x).mul(2.0)), x);
  }

  /** max(x, 0), vectorized and split over the pool in fixed chunks like GELU (element-wise: the split changes no bit). */
  public static Tensor relu(Tensor x) {
    Tensor out = Tensor.zeros(x.dtype(), x.shape());
    int xo = x.offset();
    if (x.dtype() == DType.F64) chunks(x.numel(), (s, n) -> ElementwiseF64.relu(x.f64(), xo + s, out.f64(), s, n));
    else chunks(x.numel(), (s, n) -> ElementwiseF32.relu(x.f32(), xo + s, out.f32(), s, n));
    return Tensor.record(out, "relu", (g, grads) -> {
      Tensor d = Tensor.zeros(g.dtype(), g.shape());
      int go = g.offset();
      if (g.dtype() == DType.F64) {
        chunks(d.numel(), (s, n) -> ElementwiseF64.reluBackward(x.f64(), xo + s, g.f64(), go + s, d.f64(), s, n));
      } else {
        chunks(d.numel(), (s, n) -> ElementwiseF32.reluBackward(x.f32(), xo + s, g.f32(), go + s, d.f32(), s, n));
      }
      grads.add(0, d);
    }, x);
  }

  /**
   * Exact GELU: x·Φ(x); derivative Φ(x) + x·φ(x), with Φ saved from the forward. float64 uses the double-precision
   * erf; float32 {@link org.ptlab.tensor.kernel.VectorMathF32}'s vectorized Φ and exp (about 1 ulp; the same bits
   * interpreted and JIT-compiled). Large tensors are split over the pool in fixed chunks (element-wise, so the result
   * does not depend on the thread count).
   */
  public static Tensor gelu(Tensor x) {
    Tensor out = Tensor.zeros(x.dtype(), x.shape());
    // Φ is kept for the backward only when there will be one; otherwise it is computed into out and multiplied there
    Tensor cdf = Tensor.willRecord(x) ? Tensor.zeros(x.dtype(), x.shape()) : out;
    int xo = x.offset();
    if (x.dtype() == DType.F64) {
      double[] xa = x.f64();
      double[] oa = out.f64();
      double[] ca = cdf.f64();
      chunks(x.numel(), (s, n) -> {
        for (int i = s; i < s + n; i++) {
          double phi = 0.5 * (1 + Erf.erf(xa[xo + i] * INV_SQRT2));
          ca[i] = phi;
          oa[i] = xa[xo + i] * phi;
        }
      });
    } else {
      chunks(x.numel(), (s, n) -> ElementwiseF32.gelu(x.f32(), xo + s, out.f32(), cdf.f32(), s, n));
    }
    return Tensor.record(out, "gelu", (g, grads) -> {
      Tensor d = Tensor.zeros(g.dtype(), g.shape());
      int go = g.offset();
      if (g.dtype() == DType.F64) {
        double[] xa = x.f64();
        double[] ga = g.f64();
        double[] ca = cdf.f64();
        double[] da = d.f64();
        chunks(d.numel(), (s, n) -> {
          for (int i = s; i < s + n; i++) {
            double v = xa[xo + i];
            da[i] = ga[go + i] * (ca[i] + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
          }
        });
      } else {
        chunks(d.numel(), (s, n) -> ElementwiseF32.geluBackward(x.f32(), xo + s, cdf.f32(), g.f32(), go + s, d.f32(), s, n));
      }
      grads.add(0, d);
    }, x);
  }

  /** Per-thread room for Φ of one chunk, for {@link #geluInPlace}. */
  private static final ThreadLocal<float[]> CHUNK_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

  /**
   * GELU written over x itself, with no graph: for a caller's own intermediate that nothing else reads (a fresh
   * op output), where a second tensor would only cost an allocation. The same values as {@link #gelu}. Modifies x.
   *
   * @throws IllegalStateException if grad mode would record the op (the backward needs x unchanged)
   */
  public static Tensor geluInPlace(Tensor x) {
    if (Tensor.willRecord(x)) {
      throw new IllegalStateException("geluInPlace: the input needs a gradient; use gelu");
    }
    int xo = x.offset();
    if (x.dtype() == DType.F64) {
      double[] xa = x.f64();
      chunks(x.numel(), (s, n) -> {
        for (int i = xo + s; i < xo + s + n; i++) xa[i] *= 0.5 * (1 + Erf.erf(xa[i] * INV_SQRT2));
      });
    } else {
      chunks(x.numel(), (s, n) -> ElementwiseF32.geluInPlace(x.f32(), xo + s, n, CHUNK_SCRATCH.get()));
    }
    x.markModified();
    return x;
  }

  private interface Chunk {
    void run(int start, int length);
  }

  /** Runs body over [0, n) in fixed chunks of CHUNK elements, on the pool when there are several. */
  private static void chunks(int n, Chunk body) {
    int tasks = (n + CHUNK - 1) / CHUNK;
    if (tasks <= 1) {
      body.run(0, n);
      return;
    }
    Parallel.defaults().forEach(tasks, t -> body.run(t * CHUNK, Math.min(CHUNK, n - t * CHUNK)));
  }

  /** Converts to {@code type}; the gradient converts back. */
  public static Tensor cast(Tensor x, DType type) {
    if (x.dtype() == type) return x;
    Tensor out = Tensor.zeros(type, x.shape());
    for (int i = 0; i < x.numel(); i++) out.setFlat(i, x.getFlat(i));
    return Tensor.record(out, "cast", (g, grads) -> grads.add(0, cast(g, x.dtype())), x);
  }

  private static Tensor map(int op, Tensor x) {
    Tensor out = Tensor.zeros(x.dtype(), x.shape());
    int n = x.numel();
    if (x.dtype() == DType.F64) {
      double[] s = x.f64();
      double[] o = out.f64();
      int so = x.offset();
      for (int i = 0; i < n; i++) o[i] = f(op, s[so + i]);
    } else {
      float[] s = x.f32();
      float[] o = out.f32();
      int so = x.offset();
      for (int i = 0; i < n; i++) o[i] = (float) f(op, s[so + i]);
    }
    return out;
  }

  private static double f(int op, double v) {
    switch (op) {
      case EXP: return Math.exp(v);
      case LOG: return Math.log(v);
      case SQRT: return Math.sqrt(v);
      case TANH: return Math.tanh(v);
      default: return v * v;
    }
  }
}
