package org.ptlab.tensor.ops;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;
import org.ptlab.tensor.kernel.RowSums4;

/**
 * Fused layer norm over the last axis: y = (x − μ)/√(σ² + eps)·γ + β with the biased variance (as torch).
 * x is [.., D]; γ, β are [D] or null (no affine). Rows are computed in double whatever the dtype. Backward with
 * x̂ and 1/σ saved: dx = (1/σ)/D·(D·dx̂ − Σdx̂ − x̂·Σ(dx̂⊙x̂)), dx̂ = g⊙γ, dγ = Σ g⊙x̂, dβ = Σ g.
 *
 * <p>Rows are independent: large inputs split them over the pool in fixed blocks, and each row's sums run in four
 * interleaved partial sums combined in a fixed order (as the lanes of {@link RowSums4} where that is native), so
 * results depend neither on the thread count nor on JIT warm-up.
 */
public final class Norms {
  /** Rows per pool task (rows·D below 2 blocks' worth runs on the calling thread). */
  private static final int ROW_BLOCK_ELEMENTS = 1 << 14;

  private Norms() {}

  public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
    return normalize(x, null, gamma, beta, eps);
  }

  /**
   * layerNorm(x + r), a residual connection and its layer norm, without x + r as a tensor: each row's sum is
   * formed in x's dtype, as {@code x.add(r)} would store it, so the result has the same bits. x and r have the same
   * shape; both get the input gradient.
   */
  public static Tensor addLayerNorm(Tensor x, Tensor r, Tensor gamma, Tensor beta, double eps) {
    Binary.checkSame("addLayerNorm", x, r);
    if (!java.util.Arrays.equals(x.shape(), r.shape())) {
      throw new ShapeException("addLayerNorm: shapes " + Shape.str(x.shape()) + " and " + Shape.str(r.shape()));
    }
    return normalize(x, r, gamma, beta, eps);
  }

  /**
   * r ← layerNorm(x + r) in place, with no graph: for a residual branch's output that nothing else reads (a fresh
   * op output), where a new tensor would only cost an allocation. The same values as {@link #addLayerNorm}.
   *
   * @throws IllegalStateException if grad mode would record the op
   */
  public static Tensor addLayerNormInPlace(Tensor r, Tensor x, Tensor gamma, Tensor beta, double eps) {
    if (Tensor.willRecord(x, r, gamma, beta)) {
      throw new IllegalStateException("addLayerNormInPlace: an input needs a gradient; use addLayerNorm");
    }
    Binary.checkSame("addLayerNormInPlace", x, r);
    if (!java.util.Arrays.equals(x.shape(), r.shape())) {
      throw new ShapeException("addLayerNormInPlace: shapes " + Shape.str(x.shape()) + " and " + Shape.str(r.shape()));
    }
    Tensor y = normalize(x, r, gamma, beta, eps, r);
    r.markModified();
    return y;
  }

  /** Layer norm of x, or of x + r when r is not null. */
  private static Tensor normalize(Tensor x, Tensor r, Tensor gamma, Tensor beta, double eps) {
    return normalize(x, r, gamma, beta, eps, null);
  }

  /** As above, into {@code into} (rows are read before they are written) or a new tensor when null. */
  private static Tensor normalize(Tensor x, Tensor r, Tensor gamma, Tensor beta, double eps, Tensor into) {
    int d = x.dim(-1);
    int rows = x.numel() / Math.max(d, 1);
    checkAffine("gamma", gamma, x, d);
    checkAffine("beta", beta, x, d);
    double[] gam = gamma == null ? null : gamma.toDoubleArray();
    double[] bet = beta == null ? null : beta.toDoubleArray();
    Tensor xhat = Tensor.willRecord(x, r, gamma, beta) ? Tensor.zeros(x.dtype(), x.shape()) : null; // for backward
    double[] rstd = new double[rows];
    Tensor y = into != null ? into : Tensor.zeros(x.dtype(), x.shape());
    forRows(rows, d, (r0, r1) -> {
      double[] row = new double[d];
      for (int i = r0; i < r1; i++) {
        double sum = r == null ? load(x, x.offset() + i * d, row, d) // row ← x, returns Σx
            : loadSum(x, x.offset() + i * d, r, r.offset() + i * d, row, d); // row ← x + r
        double mean = sum / d;
        double var = centre(row, mean, d) / d; // row ← x − μ, returns Σ(x − μ)²
        double rs = 1.0 / Math.sqrt(var + eps);
        rstd[i] = rs;
        normalize(row, rs, gam, bet, xhat, y, i * d, d);
      }
    });
    java.util.List<Tensor> in = new java.util.ArrayList<>(java.util.List.of(x));
    if (r != null) in.add(r);
    int gammaAt = in.size();
    if (gamma != null) in.add(gamma);
    int betaAt = in.size();
    if (beta != null) in.add(beta);
    return Tensor.record(y, r == null ? "layerNorm" : "addLayerNorm", (g, grads) -> {
      if (grads.needs(0) || (r != null && grads.needs(1))) {
        Tensor dx = inputGradient(g, xhat, rstd, gam, d);
        grads.add(0, dx);
        if (r != null) grads.add(1, dx); // d(x + r)/dx = d(x + r)/dr = 1
      }
      if (gamma != null && grads.needs(gammaAt)) grads.add(gammaAt, Binary.sumTo(g.mul(xhat), gamma.shape()));
      if (beta != null && grads.needs(betaAt)) grads.add(betaAt, Binary.sumTo(g, beta.shape()));
    }, in.toArray(new Tensor[0]));
  }

  private static Tensor inputGradient(Tensor g, Tensor xhat, double[] rstd, double[] gam, int d) {
    Tensor dx = Tensor.zeros(g.dtype(), g.shape());
    forRows(rstd.length, d, (r0, r1) -> {
      double[] dh = new double[d];
      double[] h = new double[d];
      double[] sums = new double[2];
      for (int r = r0; r < r1; r++) {
        load(xhat, xhat.offset() + r * d, h, d);
        gradSums(g, g.offset() + r * d, gam, h, dh, sums, d); // dh ← g⊙γ; sums ← {Σdh, Σdh⊙h}
        double sum = sums[0];
        double dot = sums[1];
        double c = rstd[r] / d;
        for (int j = 0; j < d; j++) dh[j] = c * (d * dh[j] - sum - h[j] * dot);
        store(dh, dx, r * d, d);
      }
    });
    return dx;
  }

  private interface RowRange {
    void run(int r0, int r1);
  }

  /** Runs body over rows [0, rows) in fixed blocks, on the pool when there are several. */
  private static void forRows(int rows, int d, RowRange body) {
    int block = Math.max(1, ROW_BLOCK_ELEMENTS / Math.max(d, 1));
    int tasks = (rows + block - 1) / block;
    if (tasks <= 1) {
      body.run(0, rows);
      return;
    }
    Parallel.defaults().forEach(tasks, t -> body.run(t * block, Math.min(rows, (t + 1) * block)));
  }

  // Each row's sums run as four interleaved partial sums (lanes j mod 4) added as (s0 + s1) + (s2 + s3): a short
  // dependency chain, and a fixed order (Java never reassociates or contracts double arithmetic). Where 256-bit
  // vectors are native, RowSums4 runs the same sums as the lanes of one vector (the same bits, fewer instructions).

  /** buf[0..n) ← storage of t from absolute position pos; returns their sum. */
  private static double load(Tensor t, int pos, double[] buf, int n) {
    if (RowSums4.VECTOR) {
      return t.dtype() == DType.F64 ? RowSums4.load(t.f64(), pos, buf, n) : RowSums4.load(t.f32(), pos, buf, n);
    }
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    int bound = n & ~3;
    if (t.dtype() == DType.F64) {
      double[] a = t.f64();
      for (; j < bound; j += 4) {
        s0 += buf[j] = a[pos + j];
        s1 += buf[j + 1] = a[pos + j + 1];
        s2 += buf[j + 2] = a[pos + j + 2];
        s3 += buf[j + 3] = a[pos + j + 3];
      }
      for (; j < n; j++) s0 += buf[j] = a[pos + j];
    } else {
      float[] a = t.f32();
      for (; j < bound; j += 4) {
        s0 += buf[j] = a[pos + j];
        s1 += buf[j + 1] = a[pos + j + 1];
        s2 += buf[j + 2] = a[pos + j + 2];
        s3 += buf[j + 3] = a[pos + j + 3];
      }
      for (; j < n; j++) s0 += buf[j] = a[pos + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** buf[0..n) ← the sums a[pa+j] + b[pb+j], each rounded to the tensors' dtype; returns their sum (as load). */
  private static double loadSum(Tensor a, int pa, Tensor b, int pb, double[] buf, int n) {
    if (RowSums4.VECTOR) {
      return a.dtype() == DType.F64 ? RowSums4.loadSum(a.f64(), pa, b.f64(), pb, buf, n)
          : RowSums4.loadSum(a.f32(), pa, b.f32(), pb, buf, n);
    }
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    int bound = n & ~3;
    if (a.dtype() == DType.F64) {
      double[] x = a.f64();
      double[] y = b.f64();
      for (; j < bound; j += 4) {
        s0 += buf[j] = x[pa + j] + y[pb + j];
        s1 += buf[j + 1] = x[pa + j + 1] + y[pb + j + 1];
        s2 += buf[j + 2] = x[pa + j + 2] + y[pb + j + 2];
        s3 += buf[j + 3] = x[pa + j + 3] + y[pb + j + 3];
      }
      for (; j < n; j++) s0 += buf[j] = x[pa + j] + y[pb + j];
    } else {
      float[] x = a.f32();
      float[] y = b.f32();
      for (; j < bound; j += 4) {
        s0 += buf[j] = x[pa + j] + y[pb + j]; // a float sum, as add() stores it
        s1 += buf[j + 1] = x[pa + j + 1] + y[pb + j + 1];
        s2 += buf[j + 2] = x[pa + j + 2] + y[pb + j + 2];
        s3 += buf[j + 3] = x[pa + j + 3] + y[pb + j + 3];
      }
      for (; j < n; j++) s0 += buf[j] = x[pa + j] + y[pb + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** row[j] ← row[j] − mean; returns Σ of the squares of the results. */
  private static double centre(double[] row, double mean, int n) {
    if (RowSums4.VECTOR) return RowSums4.centre(row, mean, n);
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      double c0 = row[j] -= mean;
      double c1 = row[j + 1] -= mean;
      double c2 = row[j + 2] -= mean;
      double c3 = row[j + 3] -= mean;
      s0 += c0 * c0;
      s1 += c1 * c1;
      s2 += c2 * c2;
      s3 += c3 * c3;
    }
    for (; j < n; j++) {
      double c = row[j] -= mean;
      s0 += c * c;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * x̂ = row·rs into xhat (unless null), then y = x̂·γ + β (each step in double, γ/β skipped when null) into y, at
   * [at, at+n).
   */
  private static void normalize(double[] row, double rs, double[] gam, double[] bet, Tensor xhat, Tensor y, int at,
      int n) {
    for (int j = 0; j < n; j++) row[j] *= rs;
    if (xhat != null) store(row, xhat, at, n);
    if (gam != null) for (int j = 0; j < n; j++) row[j] *= gam[j];
    if (bet != null) for (int j = 0; j < n; j++) row[j] += bet[j];
    store(row, y, at, n);
  }

  /** dh ← g[pos..pos+n)⊙γ (γ null: g); sums ← {Σ dh, Σ dh⊙h}. */
  private static void gradSums(Tensor g, int pos, double[] gam, double[] h, double[] dh, double[] sums, int n) {
    load(g, pos, dh, n);
    if (gam != null) for (int j = 0; j < n; j++) dh[j] *= gam[j];
    if (RowSums4.VECTOR) {
      RowSums4.gradSums(dh, h, sums, n);
      return;
    }
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    int j = 0;
    for (int bound = n & ~3; j < bound; j += 4) {
      s0 += dh[j];
      s1 += dh[j + 1];
      s2 += dh[j + 2];
      s3 += dh[j + 3];
      t0 += dh[j] * h[j];
      t1 += dh[j + 1] * h[j + 1];
      t2 += dh[j + 2] * h[j + 2];
      t3 += dh[j + 3] * h[j + 3];
    }
    for (; j < n; j++) {
      s0 += dh[j];
      t0 += dh[j] * h[j];
    }
    sums[0] = (s0 + s1) + (s2 + s3);
    sums[1] = (t0 + t1) + (t2 + t3);
  }

  private static void checkAffine(String what, Tensor p, Tensor x, int d) {
    if (p == null) return;
    if (p.rank() != 1 || p.dim(0) != d) {
      throw new ShapeException("layerNorm: " + what + " " + Shape.str(p.shape()) + " for input " + Shape.str(x.shape()));
    }
    Binary.checkSame("layerNorm", x, p);
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
