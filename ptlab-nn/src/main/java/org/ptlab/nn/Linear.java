package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/**
 * y = x·Wᵀ + b, with W [out, in] (PyTorch's layout) and b [out] or none. Every linear module passes its output
 * through {@link ForwardHooks#linear}, which is where LoRA adds its update.
 */
public final class Linear {
  private final String name;
  private final Tensor weight;
  private final Tensor bias;

  Linear(ParameterSet params, String name, int in, int out, boolean withBias) {
    this.name = name;
    this.weight = params.normal(name + ".weight", in, out, in);
    this.bias = withBias ? params.constant(name + ".bias", 0.0, out) : null;
  }

  /** x [.., in] → [.., out]. */
  public Tensor forward(Tensor x, ForwardHooks hooks, ForwardMode pass) {
    Tensor y = x.linear(weight, bias); // [.., out]: x·Wᵀ + b, the bias added into the product in place
    return hooks.linear(name, x, y, pass);
  }

  /** The module's Hugging Face name (without {@code .weight}). */
  public String name() {
    return name;
  }

  /** W [out, in]. */
  public Tensor weight() {
    return weight;
  }

  /** b [out], or null without a bias. */
  public Tensor bias() {
    return bias;
  }
}
