package org.ptlab.tensor;

/** The local backward rule of one recorded op: given dL/d(output), add dL/d(input_i) through {@code grads}. */
@FunctionalInterface
public interface Backward {
  void apply(Tensor gradOut, Grads grads);
}
