package org.ptlab.tensor.ops;

import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Inverted dropout: keep each element with probability 1 − p and scale it by 1/(1 − p); identity in eval. */
public final class Dropout {
  private Dropout() {}

  public static Tensor dropout(Tensor x, double p, Rng rng, boolean training) {
    if (!(p >= 0 && p < 1)) throw new ShapeException("dropout: p must be in [0, 1), got " + p);
    if (!training || p == 0) return x;
    Tensor mask = Tensor.zeros(x.dtype(), x.shape());
    double keep = 1.0 / (1 - p);
    for (int i = 0; i < mask.numel(); i++) mask.setFlat(i, rng.nextDouble() >= p ? keep : 0.0);
    Tensor out = Binary.compute(Binary.MUL, x, mask);
    return Tensor.record(out, "dropout", (g, grads) -> grads.add(0, Binary.compute(Binary.MUL, g, mask)), x);
  }
}
