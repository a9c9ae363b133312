package org.ptlab.tensor.ops;

import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;

/**
 * Fused layer norm over the last axis: y = (x − μ)/√(σ² + eps)·γ + β with the biased variance (as torch).
 * x is [.., D]; γ, β are [D] or null (no affine). Backward with x̂ and 1/σ saved:
 * dx = (1/σ)/D·(D·dx̂ − Σdx̂ − x̂·Σ(dx̂⊙x̂)), dx̂ = g⊙γ, dγ = Σ g⊙x̂, dβ = Σ g.
 */
public final class Norms {
  private Norms() {}

  public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
    int d = x.dim(-1);
    int rows = x.numel() / Math.max(d, 1);
    if (gamma != null && (gamma.rank() != 1 || gamma.dim(0) != d)) {
      throw new ShapeException("layerNorm: gamma " + Shape.str(gamma.shape()) + " for input " + Shape.str(x.shape()));
    }
    if (beta != null && (beta.rank() != 1 || beta.dim(0) != d)) {
      throw new ShapeException("layerNorm: beta " + Shape.str(beta.shape()) + " for input " + Shape.str(x.shape()));
    }
    if (gamma != null) Binary.checkSame("layerNorm", x, gamma);
    if (beta != null) Binary.checkSame("layerNorm", x, beta);
    Tensor xhat = Tensor.zeros(x.dtype(), x.shape());
    double[] rstd = new double[rows];
    Tensor y = Tensor.zeros(x.dtype(), x.shape());
    for (int r = 0; r < rows; r++) {
      int base = r * d;
      double mean = 0;
      for (int j = 0; j < d; j++) mean += x.getFlat(base + j);
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double c = x.getFlat(base + j) - mean;
        var += c * c;
      }
      var /= d;
      double rs = 1.0 / Math.sqrt(var + eps);
      rstd[r] = rs;
      for (int j = 0; j < d; j++) {
        double h = (x.getFlat(base + j) - mean) * rs;
        xhat.setFlat(base + j, h);
        double v = h;
        if (gamma != null) v *= gamma.getFlat(j);
        if (beta != null) v += beta.getFlat(j);
        y.setFlat(base + j, v);
      }
    }
    Tensor[] inputs = gamma == null ? new Tensor[] {x}
        : beta == null ? new Tensor[] {x, gamma} : new Tensor[] {x, gamma, beta};
    return Tensor.record(y, "layerNorm", (g, grads) -> {
      if (grads.needs(0)) {
        Tensor dx = Tensor.zeros(x.dtype(), x.shape());
        double[] dh = new double[d];
        for (int r = 0; r < rows; r++) {
          int base = r * d;
          double sum = 0;
          double dot = 0;
          for (int j = 0; j < d; j++) {
            dh[j] = g.getFlat(base + j) * (gamma == null ? 1.0 : gamma.getFlat(j));
            sum += dh[j];
            dot += dh[j] * xhat.getFlat(base + j);
          }
          for (int j = 0; j < d; j++) {
            dx.setFlat(base + j, rstd[r] / d * (d * dh[j] - sum - xhat.getFlat(base + j) * dot));
          }
        }
        grads.add(0, dx);
      }
      if (gamma != null && grads.needs(1)) grads.add(1, Binary.sumTo(g.mul(xhat), gamma.shape()));
      if (beta != null && grads.needs(2)) grads.add(2, Binary.sumTo(g, beta.shape()));
    }, inputs);
  }
}
