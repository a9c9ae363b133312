package org.ptlab.tensor.ops;

import java.util.Arrays;
import org.ptlab.tensor.Shape;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;

/** Fused losses: softmax cross-entropy with integer labels, and mean squared error. Both return a scalar. */
public final class Losses {
  /** Label value that is skipped (as torch's ignore_index), e.g. for padding. */
  public static final int IGNORE = -100;

  private Losses() {}

  /**
   * Mean over rows of −log softmax(logits)[label]. Logits are [.., C], viewed as [N, C]; {@code labels} has N
   * entries in [0, C) or {@link #IGNORE}. Backward: (softmax − onehot)/count on counted rows.
   */
  public static Tensor crossEntropy(Tensor logits, int[] labels) {
    int c = logits.dim(-1);
    int n = logits.numel() / Math.max(c, 1);
    if (labels.length != n) {
      throw new ShapeException("crossEntropy: " + labels.length + " labels for logits " + Shape.str(logits.shape())
          + " (" + n + " rows)");
    }
    int counted = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == IGNORE) continue;
      if (labels[i] < 0 || labels[i] >= c) {
        throw new ShapeException("crossEntropy: label " + labels[i] + " at row " + i + " out of range [0, " + c + ")");
      }
      counted++;
    }
    Tensor logp = Softmax.compute(logits.reshape(n, c), 1, true); // [N, C]
    double total = 0;
    for (int i = 0; i < n; i++) if (labels[i] != IGNORE) total -= logp.getFlat(i * c + labels[i]);
    int count = counted;
    Tensor out = Tensor.scalar(logits.dtype(), count == 0 ? 0 : total / count);
    int[] labelsCopy = Arrays.copyOf(labels, n);
    return Tensor.record(out, "crossEntropy", (g, grads) -> {
      Tensor d = Tensor.zeros(logits.dtype(), n, c);
      double scale = count == 0 ? 0 : g.item() / count;
      for (int i = 0; i < n; i++) {
        if (labelsCopy[i] == IGNORE) continue;
        for (int j = 0; j < c; j++) d.setFlat(i * c + j, scale * Math.exp(logp.getFlat(i * c + j)));
        d.setFlat(i * c + labelsCopy[i], d.getFlat(i * c + labelsCopy[i]) - scale);
      }
      grads.add(0, d.reshape(logits.shape()));
    }, logits);
  }

  /** mean((pred − target)²) over all elements; shapes must match. */
  public static Tensor mse(Tensor pred, Tensor target) {
    if (!Arrays.equals(pred.shape(), target.shape())) {
      throw new ShapeException("mse: pred " + Shape.str(pred.shape()) + " vs target " + Shape.str(target.shape()));
    }
    Binary.checkSame("mse", pred, target);
    Tensor diff = Binary.compute(Binary.SUB, pred, target);
    int n = pred.numel();
    double s = 0;
    if (diff.dtype() == org.ptlab.tensor.DType.F64) {
      double[] d = diff.f64();
      for (int i = 0; i < n; i++) s += d[i] * d[i];
    } else {
      float[] d = diff.f32();
      for (int i = 0; i < n; i++) s += (double) d[i] * d[i]; // as getFlat did: the float widened, squared in double
    }
    Tensor out = Tensor.scalar(pred.dtype(), s / n);
    return Tensor.record(out, "mse", (g, grads) -> {
      Tensor d = Unary.affine(diff, 2.0 * g.item() / n, 0.0);
      grads.add(0, d);
      if (grads.needs(1)) grads.add(1, d.neg());
    }, pred, target);
  }
}
