package org.ptlab.theory.hu2025;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;

/**
 * The per-(batch, head) attention problems inside the {@code AttentionKernel} shapes q [B, Tq, H·s],
 * k [B, Tk, H·s], v [B, Tk, H·sv], attendMask [B, Tk] (1 = attend): each head copied out as contiguous float64
 * rows (O(T·s), negligible next to O(T·r·sv)), so the theory code works on plain [T, s] arrays. Also the
 * polynomial forward over all heads and its autograd backward ({@link FastAttentionGradient}).
 */
final class HeadProblems {
  final int b;
  final int heads;
  final int tq;
  final int tk;
  final int s;
  final int sv;
  /** Per problem p = bi·H + h: [Tq, s], [Tk, s], [Tk, sv]. */
  final double[][] q;
  final double[][] k;
  final double[][] v;
  /** Per batch row: keys that may be attended (null: all). */
  final boolean[][] keep;

  HeadProblems(Tensor qt, Tensor kt, Tensor vt, int heads, Tensor mask) {
    if (qt.rank() != 3 || kt.rank() != 3 || vt.rank() != 3 || heads <= 0 || qt.dim(2) % heads != 0
        || vt.dim(2) % heads != 0 || kt.dim(2) != qt.dim(2) || kt.dim(0) != qt.dim(0) || vt.dim(0) != qt.dim(0)
        || vt.dim(1) != kt.dim(1)) {
      throw new ShapeException("attention: q " + Shape.str(qt.shape()) + ", k " + Shape.str(kt.shape()) + ", v "
          + Shape.str(vt.shape()) + " are not [B, Tq, H·s], [B, Tk, H·s], [B, Tk, H·sv] with H = " + heads);
    }
    b = qt.dim(0);
    this.heads = heads;
    tq = qt.dim(1);
    tk = kt.dim(1);
    s = qt.dim(2) / heads;
    sv = vt.dim(2) / heads;
    if (mask != null && (mask.rank() != 2 || mask.dim(0) != b || mask.dim(1) != tk)) {
      throw new ShapeException("attention: attendMask " + Shape.str(mask.shape()) + " must be [B, Tk] = [" + b + ", "
          + tk + "]");
    }
    q = split(qt, s);
    k = split(kt, s);
    v = split(vt, sv);
    keep = new boolean[b][];
    for (int bi = 0; mask != null && bi < b; bi++) {
      keep[bi] = new boolean[tk];
      for (int j = 0; j < tk; j++) keep[bi][j] = mask.getFlat(bi * tk + j) != 0;
    }
  }

  int problems() {
    return b * heads;
  }

  /** [B, T, H·w] → per (bi, h) a contiguous [T, w] copy. */
  private double[][] split(Tensor t, int w) {
    int rows = t.dim(1);
    double[][] out = new double[b * heads][rows * w];
    for (int bi = 0; bi < b; bi++) {
      for (int h = 0; h < heads; h++) {
        double[] dst = out[bi * heads + h];
        for (int i = 0; i < rows; i++) {
          for (int c = 0; c < w; c++) dst[i * w + c] = t.getFlat((bi * rows + i) * heads * w + h * w + c);
        }
      }
    }
    return out;
  }

  /** Writes per-problem [T, w] arrays back into a new [B, T, H·w] tensor of {@code dtype}. */
  Tensor merge(double[][] parts, int rows, int w, DType dtype) {
    Tensor out = Tensor.zeros(dtype, b, rows, heads * w);
    for (int bi = 0; bi < b; bi++) {
      for (int h = 0; h < heads; h++) {
        double[] src = parts[bi * heads + h];
        for (int i = 0; i < rows; i++) {
          for (int c = 0; c < w; c++) out.setFlat((bi * rows + i) * heads * w + h * w + c, src[i * w + c]);
        }
      }
    }
    return out;
  }

  /** The plan of problem p under {@code method}. */
  PolyPlan plan(PolynomialAttention method, int p, double scale) {
    return method.plan(q[p], tq, k[p], tk, s, v[p], sv, scale, keep[p / heads]);
  }

  /**
   * The polynomial forward of every problem with its plan, recorded for autograd: the backward runs
   * {@link FastAttentionGradient} per problem with the same plan. Returns [B, Tq, H·sv] and fills {@code results}.
   */
  Tensor forward(Tensor qt, Tensor kt, Tensor vt, double scale, PolyPlan[] plans, PolyResult[] results) {
    double[][] outs = new double[problems()][];
    for (int p = 0; p < problems(); p++) {
      results[p] = PolynomialAttention.run(plans[p], q[p], tq, k[p], tk, s, v[p], sv, scale, keep[p / heads]);
      outs[p] = results[p].out();
    }
    Tensor out = merge(outs, tq, sv, qt.dtype());
    return Tensor.record(out, "polynomial-attention", (dO, grads) -> {
      double[][] g = split(dO, sv); // dℓ/dO per problem [Tq, sv]
      double[][] dq = new double[problems()][];
      double[][] dk = new double[problems()][];
      double[][] dv = new double[problems()][];
      for (int p = 0; p < problems(); p++) {
        AttentionGradient gr = FastAttentionGradient.compute(plans[p], q[p], tq, k[p], tk, s, v[p], sv,
            g[p], scale, keep[p / heads]);
        dq[p] = gr.dq();
        dk[p] = gr.dk();
        dv[p] = gr.dv();
      }
      if (grads.needs(0)) grads.add(0, merge(dq, tq, s, qt.dtype()));
      if (grads.needs(1)) grads.add(1, merge(dk, tk, s, kt.dtype()));
      if (grads.needs(2)) grads.add(2, merge(dv, tk, sv, vt.dtype()));
    }, qt, kt, vt);
  }
}
