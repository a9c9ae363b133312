package org.ptlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * torch.optim.Adam (single-tensor path, no weight decay) written with NDArray ops, for one parameter:
 * <pre>
 *   m ← m + (g − m)·(1 − β1)                 (exp_avg.lerp_(grad, 1 − β1))
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr/(1 − β1ᵗ)) · m / (√v/√(1 − β2ᵗ) + eps)
 * </pre>
 * DJL's built-in Adam computes {@code lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + eps)}, which places eps differently; this
 * class makes the peer do the same math as {@link org.ptlab.tensor.optim.Adam}. Call {@link #step} outside any
 * gradient collector: the moments are created here, outside every scope, and updated in place.
 */
final class TorchAdam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final NDArray param;
  private final NDArray m;
  private final NDArray v;
  private final double lr;
  private int t;

  TorchAdam(NDArray param, double lr) {
    this.param = param;
    this.lr = lr;
    this.m = param.getManager().zeros(param.getShape(), param.getDataType());
    this.v = param.getManager().zeros(param.getShape(), param.getDataType());
  }

  /** One update from the parameter's accumulated gradient (the caller zeroes it afterwards). */
  void step() {
    t++;
    double bc1 = 1 - Math.pow(BETA1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(BETA2, t));
    try (NDScope scope = new NDScope()) { // frees the temporaries; m, v and param are updated in place
      scope.suppressNotUsedWarning();
      NDArray g = param.getGradient();
      m.addi(g.sub(m).muli(1 - BETA1));
      v.muli(BETA2).addi(g.square().muli(1 - BETA2));
      NDArray denom = v.sqrt().divi(bc2Sqrt).addi(EPS);
      param.subi(m.div(denom).muli(lr / bc1));
    }
  }
}
