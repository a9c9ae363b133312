package org.ptlab.tensor.optim;

import java.util.List;
import org.ptlab.tensor.Tensor;

/** Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
  private GradClip() {}

  /**
   * Scales every gradient by maxNorm/(‖g‖ + 1e-6) when that is below 1, where ‖g‖ is the L2 norm of all
   * gradients together. Returns ‖g‖ before clipping. Modifies the gradients.
   */
  public static double clipByGlobalNorm(List<Tensor> params, double maxNorm) {
    if (!(maxNorm > 0)) throw new IllegalArgumentException("clip: maxNorm must be > 0, got " + maxNorm);
    double sq = 0;
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g == null) continue;
      for (int i = 0; i < g.numel(); i++) sq += g.getFlat(i) * g.getFlat(i);
    }
    double norm = Math.sqrt(sq);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g == null) continue;
        for (int i = 0; i < g.numel(); i++) g.setFlat(i, g.getFlat(i) * coef);
      }
    }
    return norm;
  }
}
