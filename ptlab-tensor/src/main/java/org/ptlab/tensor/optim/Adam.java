package org.ptlab.tensor.optim;

import java.util.List;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Adam and AdamW (Kingma &amp; Ba 2015; Loshchilov &amp; Hutter 2019) with torch.optim's update, in its order of
 * operations:
 * <pre>
 *   g ← grad (+ wd·p for Adam's L2 decay)          p ← p·(1 − lr·wd) first for AdamW
 *   m ← β1·m + (1−β1)·g      v ← β2·v + (1−β2)·g²
 *   p ← p − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + eps)
 * </pre>
 * eps is added after the square root of the bias-corrected second moment, as torch does (DJL's Adam differs).
 */
public final class Adam extends Optimizer {
  private final AdamConfig config;

  public Adam(List<Tensor> params, AdamConfig config) {
    super(params, config.lr(), 2);
    this.config = config;
  }

  @Override
  protected void update(int i, Tensor p, Tensor grad) {
    if (slots[i][0] == null) {
      slots[i][0] = Tensor.zeros(p.dtype(), p.shape()); // m
      slots[i][1] = Tensor.zeros(p.dtype(), p.shape()); // v
    }
    Tensor m = slots[i][0];
    Tensor v = slots[i][1];
    double b1 = config.beta1();
    double b2 = config.beta2();
    double wd = config.weightDecay();
    double bc1 = 1 - Math.pow(b1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
    double stepSize = lr / bc1;
    int n = p.numel();
    if (p.dtype() == DType.F64) {
      double[] pa = p.f64();
      double[] ga = grad.f64();
      double[] ma = m.f64();
      double[] va = v.f64();
      int po = p.offset();
      int go = grad.offset();
      for (int j = 0; j < n; j++) {
        double g = ga[go + j];
        if (config.decoupled()) pa[po + j] *= 1 - lr * wd;
        else g += wd * pa[po + j];
        ma[j] += (g - ma[j]) * (1 - b1); // torch: exp_avg.lerp_(grad, 1 - beta1)
        va[j] = va[j] * b2 + (1 - b2) * g * g;
        double denom = Math.sqrt(va[j]) / bc2Sqrt + config.eps();
        pa[po + j] -= stepSize * (ma[j] / denom);
      }
    } else {
      float[] pa = p.f32();
      float[] ga = grad.f32();
      float[] ma = m.f32();
      float[] va = v.f32();
      int po = p.offset();
      int go = grad.offset();
      float fb1 = (float) (1 - b1);
      float fb2 = (float) b2;
      float fb2c = (float) (1 - b2);
      float decay = (float) (1 - lr * wd);
      float fwd = (float) wd;
      float bc = (float) bc2Sqrt;
      float eps = (float) config.eps();
      float ss = (float) stepSize;
      for (int j = 0; j < n; j++) {
        float g = ga[go + j];
        if (config.decoupled()) pa[po + j] *= decay;
        else g += fwd * pa[po + j];
        ma[j] += (g - ma[j]) * fb1;
        va[j] = va[j] * fb2 + fb2c * g * g;
        float denom = (float) Math.sqrt(va[j]) / bc + eps;
        pa[po + j] -= ss * (ma[j] / denom);
      }
    }
  }

}
