package org.ptlab.tensor.optim;

import java.util.List;
import org.ptlab.tensor.Tensor;

/**
 * SGD with momentum, as torch.optim.SGD: g ← grad + wd·p; b ← μ·b + (1 − dampening)·g (b ← g on the first
 * step); g ← g + μ·b if Nesterov else b; p ← p − lr·g.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;

  public Sgd(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
      boolean nesterov) {
    super(params, lr, 1);
    if (!(momentum >= 0)) throw new IllegalArgumentException("sgd: momentum must be >= 0, got " + momentum);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("sgd: Nesterov needs momentum > 0 and dampening 0");
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  public Sgd(List<Tensor> params, double lr, double momentum) {
    this(params, lr, momentum, 0, 0, false);
  }

  @Override
  protected void update(int i, Tensor p, Tensor grad) {
    int n = p.numel();
    double[] g = new double[n];
    for (int j = 0; j < n; j++) g[j] = grad.getFlat(j) + weightDecay * p.getFlat(j);
    if (momentum != 0) {
      boolean first = slots[i][0] == null;
      if (first) slots[i][0] = Tensor.zeros(p.dtype(), p.shape());
      Tensor buf = slots[i][0];
      for (int j = 0; j < n; j++) {
        double b = first ? g[j] : momentum * buf.getFlat(j) + (1 - dampening) * g[j];
        buf.setFlat(j, b);
        g[j] = nesterov ? g[j] + momentum * buf.getFlat(j) : buf.getFlat(j);
      }
    }
    for (int j = 0; j < n; j++) p.setFlat(j, p.getFlat(j) - lr * g[j]);
  }

}
