package org.ptlab.tensor.optim;

/**
 * Adam/AdamW settings, torch.optim's defaults.
 *
 * @param lr learning rate
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param eps added to the denominator after the square root
 * @param weightDecay L2 penalty (Adam) or decoupled decay (AdamW)
 * @param decoupled true for AdamW
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
  public AdamConfig {
    if (!(lr >= 0)) throw new IllegalArgumentException("adam: lr must be >= 0, got " + lr);
    if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("adam: beta1 must be in [0, 1), got " + beta1);
    if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam: beta2 must be in [0, 1), got " + beta2);
    if (!(eps >= 0)) throw new IllegalArgumentException("adam: eps must be >= 0, got " + eps);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("adam: weightDecay must be >= 0, got " + weightDecay);
  }

  /** torch.optim.Adam defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static AdamConfig adam(double lr) {
    return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0.0, false);
  }

  /** torch.optim.AdamW defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
  public static AdamConfig adamW(double lr) {
    return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0.01, true);
  }

  public AdamConfig withWeightDecay(double wd) {
    return new AdamConfig(lr, beta1, beta2, eps, wd, decoupled);
  }
}
