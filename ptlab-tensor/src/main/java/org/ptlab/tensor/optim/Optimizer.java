package org.ptlab.tensor.optim;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.tensor.Tensor;

/**
 * Updates trainable leaf tensors in place from their accumulated gradients. A parameter without a gradient
 * (it took no part in the loss) is skipped, as in torch.optim.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(List.of(prompt), AdamConfig.adam(1e-3));
 * loss.backward(); opt.step(); opt.zeroGrad();
 * }</pre>
 */
public abstract class Optimizer {
  protected final List<Tensor> params;
  protected double lr;
  protected long step;
  /** Per-parameter buffers, e.g. Adam's [m, v]; null until the parameter's first update. */
  protected final Tensor[][] slots;

  protected Optimizer(List<Tensor> params, double lr, int slotsPerParam) {
    if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
    for (Tensor p : params) {
      if (!p.requiresGrad() || !p.isLeaf()) {
        throw new IllegalArgumentException("optimizer: parameter " + (p.name() == null ? "" : p.name() + " ")
            + "is not a trainable leaf");
      }
    }
    this.params = List.copyOf(params);
    this.lr = lr;
    this.slots = new Tensor[params.size()][slotsPerParam];
  }

  /** One update of every parameter that has a gradient. */
  public final void step() {
    step++;
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      if (p.grad() != null) {
        update(i, p, p.grad());
        p.markModified(); // values derived from the old weights (packed copies) are stale
      }
    }
  }

  protected abstract void update(int index, Tensor param, Tensor grad);

  public void zeroGrad() {
    for (Tensor p : params) p.zeroGrad();
  }

  public double lr() {
    return lr;
  }

  /** Sets the learning rate (schedules call this before each step). */
  public void lr(double value) {
    this.lr = value;
  }

  /** Number of steps taken. */
  public long steps() {
    return step;
  }

  public List<Tensor> params() {
    return params;
  }

  /** A deep copy of the state (step, lr, every per-parameter buffer). */
  public OptimizerState state() {
    List<Tensor[]> copies = new ArrayList<>();
    for (Tensor[] s : slots) copies.add(copyAll(s));
    return new OptimizerState(getClass().getSimpleName(), step, lr, copies);
  }

  /** Restores a state taken from an optimizer of the same kind over the same parameters. */
  public void restore(OptimizerState st) {
    if (!st.kind().equals(getClass().getSimpleName())) {
      throw new IllegalArgumentException("optimizer state is for " + st.kind() + ", not " + getClass().getSimpleName());
    }
    if (st.buffers().size() != slots.length) {
      throw new IllegalArgumentException("optimizer state has " + st.buffers().size() + " parameters, expected "
          + slots.length);
    }
    for (int i = 0; i < slots.length; i++) {
      Tensor[] src = st.buffers().get(i);
      if (src.length != slots[i].length) {
        throw new IllegalArgumentException("optimizer state has " + src.length + " buffers per parameter, expected "
            + slots[i].length);
      }
      slots[i] = copyAll(src);
    }
    this.step = st.step();
    this.lr = st.lr();
  }

  private static Tensor[] copyAll(Tensor[] s) {
    Tensor[] copy = new Tensor[s.length];
    for (int j = 0; j < s.length; j++) copy[j] = s[j] == null ? null : s[j].copy();
    return copy;
  }
}
