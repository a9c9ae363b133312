package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;

/**
 * Fused layer norm over the last axis: y = (x − μ)/√(σ² + eps)·γ + β with the biased variance (as torch).
 * x is [.., D]; γ, β are [D] or null (no affine). Rows are computed in double whatever the dtype. Backward with
 * x̂ and 1/σ saved: dx = (1/σ)/D·(D·dx̂ − Σdx̂ − x̂·Σ(dx̂⊙x̂)), dx̂ = g⊙γ, dγ = Σ g⊙x̂, dβ = Σ g.
 */
public final class Norms {
  private Norms() {}

  public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
    int d = x.dim(-1);
    int rows = x.numel() / Math.max(d, 1);
    checkAffine("gamma", gamma, x, d);
    checkAffine("beta", beta, x, d);
    double[] gam = gamma == null ? null : gamma.toDoubleArray();
    double[] bet = beta == null ? null : beta.toDoubleArray();
    Tensor xhat = Tensor.zeros(x.dtype(), x.shape());
    double[] rstd = new double[rows];
    Tensor y = Tensor.zeros(x.dtype(), x.shape());
    double[] row = new double[d];
    for (int r = 0; r < rows; r++) {
      load(x, x.offset() + r * d, row, d);
      double mean = 0;
      for (int j = 0; j < d; j++) mean += row[j];
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) var += (row[j] - mean) * (row[j] - mean);
      var /= d;
      double rs = 1.0 / Math.sqrt(var + eps);
      rstd[r] = rs;
      for (int j = 0; j < d; j++) row[j] = (row[j] - mean) * rs;
      store(row, xhat, r * d, d);
      if (gam != null) for (int j = 0; j < d; j++) row[j] *= gam[j];
      if (bet != null) for (int j = 0; j < d; j++) row[j] += bet[j];
      store(row, y, r * d, d);
    }
    Tensor[] inputs = gamma == null ? new Tensor[] {x}
        : beta == null ? new Tensor[] {x, gamma} : new Tensor[] {x, gamma, beta};
    return Tensor.record(y, "layerNorm", (g, grads) -> {
      if (grads.needs(0)) grads.add(0, inputGradient(g, xhat, rstd, gam, d));
      if (gamma != null && grads.needs(1)) grads.add(1, Binary.sumTo(g.mul(xhat), gamma.shape()));
      if (beta != null && grads.needs(2)) grads.add(2, Binary.sumTo(g, beta.shape()));
    }, inputs);
  }

  private static Tensor inputGradient(Tensor g, Tensor xhat, double[] rstd, double[] gam, int d) {
    Tensor dx = Tensor.zeros(g.dtype(), g.shape());
    double[] dh = new double[d];
    double[] h = new double[d];
    for (int r = 0; r < rstd.length; r++) {
      load(g, g.offset() + r * d, dh, d);
      load(xhat, r * d, h, d);
      double sum = 0;
      double dot = 0;
      for (int j = 0; j < d; j++) {
        if (gam != null) dh[j] *= gam[j];
        sum += dh[j];
        dot += dh[j] * h[j];
      }
      double c = rstd[r] / d;
      for (int j = 0; j < d; j++) dh[j] = c * (d * dh[j] - sum - h[j] * dot);
      store(dh, dx, r * d, d);
    }
    return dx;
  }

  private static void checkAffine(String what, Tensor p, Tensor x, int d) {
    if (p == null) return;
    if (p.rank() != 1 || p.dim(0) != d) {
      throw new ShapeException("layerNorm: " + what + " " + Shape.str(p.shape()) + " for input " + Shape.str(x.shape()));
    }
    Binary.checkSame("layerNorm", x, p);
  }

  /** buf[0..n) ← storage of t from absolute position pos. */
  private static void load(Tensor t, int pos, double[] buf, int n) {
    if (t.dtype() == DType.F64) {
      System.arraycopy(t.f64(), pos, buf, 0, n);
    } else {
      float[] a = t.f32();
      for (int j = 0; j < n; j++) buf[j] = a[pos + j];
    }
  }

  /** t's elements [at, at+n) (relative to its offset) ← buf. */
  private static void store(double[] buf, Tensor t, int at, int n) {
    int pos = t.offset() + at;
    if (t.dtype() == DType.F64) {
      System.arraycopy(buf, 0, t.f64(), pos, n);
    } else {
      float[] a = t.f32();
      for (int j = 0; j < n; j++) a[pos + j] = (float) buf[j];
    }
  }
}
