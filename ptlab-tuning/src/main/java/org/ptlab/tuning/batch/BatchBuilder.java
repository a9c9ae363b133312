package org.ptlab.tuning.batch;

import java.util.Arrays;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.InputKind;
import org.ptlab.io.data.Target;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/** Pads a list of examples on the right into one {@link Batch}. */
final class BatchBuilder {
  private BatchBuilder() {}

  static Batch build(Dataset data, int[] indices, BatchPosition position, BatchConfig config) {
    int b = indices.length;
    int[] lengths = new int[b];
    int seqLen = 0;
    for (int i = 0; i < b; i++) {
      lengths[i] = data.get(indices[i]).length();
      seqLen = Math.max(seqLen, lengths[i]);
    }
    DType dtype = config.dtype();
    Tensor mask = Tensor.zeros(dtype, b, seqLen); // [B, T]
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < lengths[i]; t++) mask.setFlat(i * seqLen + t, 1.0);
    }
    int[][] tokens = null;
    Tensor inputs = null;
    if (data.inputKind() == InputKind.TOKENS) {
      tokens = new int[b][seqLen]; // [B][T]
      for (int i = 0; i < b; i++) {
        Arrays.fill(tokens[i], config.padId());
        System.arraycopy(data.get(indices[i]).tokens(), 0, tokens[i], 0, lengths[i]);
      }
    } else {
      int d = data.inputDim();
      inputs = Tensor.zeros(dtype, b, seqLen, d); // [B, T, d]
      for (int i = 0; i < b; i++) {
        double[][] rows = data.get(indices[i]).inputs();
        for (int t = 0; t < rows.length; t++) {
          for (int j = 0; j < d; j++) inputs.setFlat((i * seqLen + t) * d + j, rows[t][j]);
        }
      }
    }
    int[] labels = null;
    Tensor targets = null;
    int[][] tokenLabels = null;
    switch (data.targetKind()) {
      case LABEL -> {
        labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = data.get(indices[i]).label();
      }
      case PER_SEQUENCE -> targets = perSequence(data, indices, dtype);
      case PER_POSITION -> targets = perPosition(data, indices, seqLen, dtype);
      case TOKEN_LABELS -> tokenLabels = tokenLabels(data, indices, seqLen);
      case NONE -> { }
    }
    return new Batch(position, indices, lengths, tokens, inputs, mask, labels, targets, tokenLabels);
  }

  /** [B][T]: each example's labels, −100 at padding. */
  private static int[][] tokenLabels(Dataset data, int[] indices, int seqLen) {
    int[][] out = new int[indices.length][seqLen];
    for (int i = 0; i < indices.length; i++) {
      int[] l = ((Target.TokenLabels) data.get(indices[i]).target()).labels();
      Arrays.fill(out[i], Target.TokenLabels.IGNORED);
      System.arraycopy(l, 0, out[i], 0, l.length);
    }
    return out;
  }

  private static Tensor perSequence(Dataset data, int[] indices, DType dtype) {
    int k = data.targetDim();
    Tensor out = Tensor.zeros(dtype, indices.length, k); // [B, k]
    for (int i = 0; i < indices.length; i++) {
      double[] v = ((Target.PerSequence) data.get(indices[i]).target()).values();
      for (int j = 0; j < k; j++) out.setFlat(i * k + j, v[j]);
    }
    return out;
  }

  private static Tensor perPosition(Dataset data, int[] indices, int seqLen, DType dtype) {
    int k = data.targetDim();
    Tensor out = Tensor.zeros(dtype, indices.length, seqLen, k); // [B, T, k], zeros at padding
    for (int i = 0; i < indices.length; i++) {
      double[] v = ((Target.PerPosition) data.get(indices[i]).target()).values(); // [m, k] row-major
      for (int f = 0; f < v.length; f++) out.setFlat(i * seqLen * k + f, v[f]);
    }
    return out;
  }
}
