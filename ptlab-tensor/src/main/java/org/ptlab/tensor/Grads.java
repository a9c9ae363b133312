package org.ptlab.tensor;

/** Receives the input gradients of one op during backward. Computing a gradient nobody needs is skipped. */
public final class Grads {
  private final Node node;
  private final boolean anomalies; // GradMode.anomalyDetection() when the backward started (read once per sweep)

  Grads(Node node, boolean anomalies) {
    this.node = node;
    this.anomalies = anomalies;
  }

  /** Whether input {@code i} of the op needs a gradient (skip the work otherwise). */
  public boolean needs(int i) {
    return node.inputs[i].requiresGrad();
  }

  /** Adds {@code g} = dL/d(input i); {@code g} must have the input's shape and dtype. */
  public void add(int i, Tensor g) {
    Tensor in = node.inputs[i];
    if (!in.requiresGrad()) return;
    if (!java.util.Arrays.equals(g.shape(), in.shape()) || g.dtype() != in.dtype()) {
      throw new IllegalStateException("backward of " + node.op + ": gradient for input " + i + " has shape "
          + Shape.str(g.shape()) + " " + g.dtype() + ", expected " + Shape.str(in.shape()) + " " + in.dtype());
    }
    if (anomalies && !g.allFinite()) {
      throw new AnomalyException("backward of " + node.op + " produced NaN/inf in the gradient of input " + i
          + " (shape " + Shape.str(in.shape()) + ")");
    }
    in.accumulateGrad(g);
  }
}
