package org.ptlab.theory.hu2025;

import java.util.List;
import java.util.Map;
import org.ptlab.io.data.Dataset;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.batch.Batch;
import org.ptlab.tuning.batch.BatchConfig;
import org.ptlab.tuning.batch.Batcher;
import org.ptlab.tuning.train.Task;

/**
 * The first attention layer of a {@link Transformer} as the prompt sees it, in float64: its frozen query and key
 * maps per head (q^h = W_Q^h x + b_Q^h, k^h = W_K^h x + b_K^h, h = 1..H, width s), its score scale, and the rows x
 * that enter it, read from a real forward pass. Tokens are rows: x [d], W [H·s, d] (PyTorch's [out, in]).
 *
 * <p>The rows are captured where the model computes them, at the input of {@code encoder.layer.0.attention.self.query}
 * (through {@link ForwardHooks#linear}), so positions, token types and any layer norm before the first attention are
 * whatever the model does, not a re-implementation.
 */
final class FirstLayerRows {
  static final String QUERY = "encoder.layer.0.attention.self.query";
  static final String KEY = "encoder.layer.0.attention.self.key";

  final int d;
  final int heads;
  final int s;
  final double scale;
  final double[] wq; // [H·s, d]
  final double[] bq; // [H·s]
  final double[] wk;
  final double[] bk;

  FirstLayerRows(Transformer model) {
    TransformerConfig c = model.config();
    d = c.dModel();
    heads = c.heads();
    s = c.headSize();
    scale = c.scoreScale();
    Map<String, Tensor> p = model.parameters().all();
    wq = p.get(QUERY + ".weight").toDoubleArray();
    wk = p.get(KEY + ".weight").toDoubleArray();
    bq = p.containsKey(QUERY + ".bias") ? p.get(QUERY + ".bias").toDoubleArray() : new double[heads * s];
    bk = p.containsKey(KEY + ".bias") ? p.get(KEY + ".bias").toDoubleArray() : new double[heads * s];
  }

  /** out[0..H·s) = W·x + (withBias ? b : 0) for the row x[off..off+d). */
  void apply(double[] w, double[] b, boolean withBias, double[] x, int off, double[] out) {
    for (int o = 0; o < heads * s; o++) {
      double acc = withBias ? b[o] : 0;
      for (int i = 0; i < d; i++) acc += w[o * d + i] * x[off + i];
      out[o] = acc;
    }
  }

  /** Per head ‖v^h‖₂ of v [H·s]. */
  double[] headNorms(double[] v) {
    double[] n = new double[heads];
    for (int h = 0; h < heads; h++) {
      double ss = 0;
      for (int c = 0; c < s; c++) ss += v[h * s + c] * v[h * s + c];
      n[h] = Math.sqrt(ss);
    }
    return n;
  }

  /** One batch's first-layer input: x [B, T', d] as doubles, and which of its rows are prompt and real data. */
  record Captured(double[] x, int b, int t, int promptAt, int promptLength, Batch batch) {
    /** Sequence index of data position {@code i} (the prompt sits at promptAt..promptAt+m_p−1). */
    int row(int i) {
      return i < promptAt ? i : i + promptLength;
    }

    /** Whether data position i of example bi is a real token (not padding). */
    boolean real(int bi, int i) {
      return i < batch.lengths()[bi];
    }
  }

  /** Consumer of captured batches. */
  interface Sink {
    void accept(Captured c);
  }

  /**
   * One eval forward pass per batch of every dataset (in order, gradients off) under {@code hooks}, handing each
   * batch's first-layer input rows to {@code sink}. The model's later layers run too (their output is discarded).
   */
  static void capture(Transformer model, ForwardHooks hooks, List<Dataset> data, int batchSize, int padId,
      Sink sink) {
    Tensor[] seen = new Tensor[1];
    ForwardHooks recorder = new ForwardHooks() {
      @Override
      public Tensor linear(String module, Tensor x, Tensor y, ForwardMode pass) {
        if (module.equals(QUERY)) seen[0] = x;
        return y;
      }
    };
    ForwardHooks all = ForwardHooks.compose(hooks, recorder);
    int mp = hooks.prompt() == null ? 0 : hooks.prompt().dim(0);
    try (GradMode.Scope g = GradMode.noGrad()) {
      for (Dataset ds : data) {
        if (ds == null) continue;
        BatchConfig bc = BatchConfig.inOrder(batchSize).withDType(model.config().dtype()).withPadId(padId);
        for (Batch batch : new Batcher(ds, bc).epoch(0)) {
          seen[0] = null;
          model.encode(Task.input(batch), all, ForwardMode.EVAL);
          Tensor x = seen[0]; // [B, T', d]
          sink.accept(new Captured(x.toDoubleArray(), x.dim(0), x.dim(1), hooks.promptPosition(), mp, batch));
        }
      }
    }
  }
}
