package org.ptlab.theory.wang2023;

import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Small float64 models and inputs for the wang2023 Lipschitz tests. */
final class Models {
  private Models() {}

  /** The paper preset (one block, one head of size d, ReLU), random weights. */
  static Transformer paper(int d, int r, long seed) {
    return Transformer.create(Presets.paper(d, r), new Rng(seed));
  }

  /** The paper's layer generalised: {@code layers} blocks, h heads of size s, the given activation and mask. */
  static Transformer custom(int d, int r, int layers, int heads, int s, Activation act, boolean causal, long seed) {
    TransformerConfig p = Presets.paper(d, r);
    TransformerConfig c = new TransformerConfig(p.vocabSize(), p.maxPositions(), p.typeVocabSize(), d, layers, heads,
        s, r, act, p.positional(), p.norm(), p.embeddingNorm(), causal, p.attentionBias(), p.scoreScale(),
        p.layerNormEps(), p.dropout(), p.head(), p.pooling(), p.outputs(), p.initStd(), DType.F64);
    return Transformer.create(c, new Rng(seed));
  }

  /** n·m rows of width d, each of norm exactly {@code radius} ([n, m, d] flat). */
  static double[] onSphere(Rng rng, int n, int m, int d, double radius) {
    double[] x = new double[n * m * d];
    for (int row = 0; row < n * m; row++) {
      double s = 0;
      for (int i = 0; i < d; i++) {
        x[row * d + i] = rng.nextGaussian();
        s += x[row * d + i] * x[row * d + i];
      }
      for (int i = 0; i < d; i++) x[row * d + i] *= radius / Math.sqrt(s);
    }
    return x;
  }

  /** A prompt [m_p, d] with rows of norm {@code radius}. */
  static Tensor prompt(Rng rng, int mp, int d, double radius) {
    return Tensor.of(onSphere(rng, 1, mp, d, radius), mp, d);
  }
}
