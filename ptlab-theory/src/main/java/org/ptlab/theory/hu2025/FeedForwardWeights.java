package org.ptlab.theory.hu2025;

import java.util.Map;
import org.ptlab.tensor.Tensor;

/**
 * The weights of one token-wise MLP branch g(z) = W2·ReLU(W1·z + b1) + b2 in PTLab's layout (W1 [h, d], W2 [d, h],
 * row-major), as the universality constructions build them.
 */
public record FeedForwardWeights(int d, int hidden, double[] w1, double[] b1, double[] w2, double[] b2) {
  public FeedForwardWeights {
    if (w1.length != hidden * d || b1.length != hidden || w2.length != d * hidden || b2.length != d) {
      throw new IllegalArgumentException("feed-forward weights: shapes do not match d = " + d + ", h = " + hidden);
    }
  }

  /** Zero weights of the given size (the id probe runs the model with FF_2 switched off). */
  public static FeedForwardWeights zeros(int d, int hidden) {
    return new FeedForwardWeights(d, hidden, new double[hidden * d], new double[hidden], new double[d * hidden],
        new double[d]);
  }

  /** Puts the four tensors under block {@code layer}'s Hugging Face names. */
  public void putInto(Map<String, Tensor> weights, int layer) {
    String p = "encoder.layer." + layer + ".";
    weights.put(p + "intermediate.dense.weight", Tensor.of(w1.clone(), hidden, d));
    weights.put(p + "intermediate.dense.bias", Tensor.of(b1.clone(), hidden));
    weights.put(p + "output.dense.weight", Tensor.of(w2.clone(), d, hidden));
    weights.put(p + "output.dense.bias", Tensor.of(b2.clone(), d));
  }
}
