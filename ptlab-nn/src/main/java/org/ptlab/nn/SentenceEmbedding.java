package org.ptlab.nn;

import java.util.Arrays;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;

/**
 * Sentence embeddings as sentence-transformers computes them for all-MiniLM-L6-v2: the encoder's final hidden
 * states, averaged over the real tokens ([CLS] and [SEP] included, padding excluded), then divided by their L2 norm
 * (floored at 1e-12, as {@code torch.nn.functional.normalize}). This is what {@code ptlab embed} prints.
 *
 * <p>The mean is taken here rather than through the model's head: it must not depend on the config's pooling or
 * head (a classifier config pools FIRST or adds logits).
 */
public final class SentenceEmbedding {
  /** Token id of [PAD] in the BERT vocabularies; its rows are masked out, so any id would do. */
  static final int PAD = 0;

  private SentenceEmbedding() {}

  /** The unit-length embedding [d] of one tokenized sentence ([CLS] … [SEP]). */
  public static float[] embed(Transformer model, int[] tokenIds) {
    return embed(model, new int[][] {tokenIds})[0];
  }

  /**
   * Unit-length embeddings [B][d] of a batch of tokenized sentences of any lengths. The batch runs as one forward
   * pass, right-padded to its longest sentence with an attention mask, so it costs B × longest: batch sentences of
   * similar length.
   */
  public static float[][] embed(Transformer model, int[][] sentences) {
    float[][] out = meanPooled(model, sentences);
    for (float[] v : out) normalize(v);
    return out;
  }

  /** The mean of the final hidden states over each sentence's tokens [B][d], before normalization. */
  public static float[][] meanPooled(Transformer model, int[][] sentences) {
    int b = sentences.length;
    if (b == 0) return new float[0][];
    int t = 0;
    for (int[] s : sentences) {
      if (s.length == 0) throw new IllegalArgumentException("embed: empty token sequence (expected [CLS] … [SEP])");
      t = Math.max(t, s.length);
    }
    int[][] ids = new int[b][t];
    Tensor mask = Tensor.zeros(model.config().dtype(), b, t); // [B, T]
    for (int i = 0; i < b; i++) {
      Arrays.fill(ids[i], PAD);
      System.arraycopy(sentences[i], 0, ids[i], 0, sentences[i].length);
      for (int j = 0; j < sentences[i].length; j++) mask.setFlat(i * t + j, 1.0);
    }
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor h = model.encode(new ModelInput(ids, null, mask), ForwardHooks.NONE, ForwardMode.EVAL); // [B, T, d]
      Tensor sum = h.mul(mask.reshape(b, t, 1)).sum(1, false); // [B, d]
      Tensor mean = sum.div(mask.sum(1, true)); // [B, d]
      int d = mean.dim(1);
      float[] flat = mean.toFloatArray();
      float[][] out = new float[b][];
      for (int i = 0; i < b; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
      return out;
    }
  }

  /** v / max(‖v‖, 1e-12) in place, the norm summed in double. */
  static void normalize(float[] v) {
    double sq = 0;
    for (float x : v) sq += (double) x * x;
    double norm = Math.max(Math.sqrt(sq), 1e-12);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
  }
}
