package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.nn.NnFixtures.add;
import static org.ptlab.nn.NnFixtures.assertClose;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.dot;
import static org.ptlab.nn.NnFixtures.matVec;
import static org.ptlab.nn.NnFixtures.matrix;
import static org.ptlab.nn.NnFixtures.row;
import static org.ptlab.nn.NnFixtures.softmax;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The bert and gpt presets against a transformer written out token by token over the model's weights (Hugging Face
 * BertModel / GPT-2 arithmetic): embeddings, multi-head attention with scale and biases, norms where the config puts
 * them, the exact GELU, and the LM head.
 */
class HandReferenceTest {
  /** Φ(x) = 1/2 + ∫_0^x φ by composite Simpson (independent of the engine's erf), error ≪ 1e-13. */
  static double normalCdf(double x) {
    double a = Math.min(Math.abs(x), 9);
    int n = 2 * (int) Math.ceil(a * 4000 + 1);
    double h = a / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double t = i * h;
      s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.exp(-t * t / 2);
    }
    double half = s * h / 3 / Math.sqrt(2 * Math.PI);
    return x >= 0 ? 0.5 + half : 0.5 - half;
  }

  /** The reference transformer over one model's weights. */
  private static final class Reference {
    private final ParameterSet p;
    private final TransformerConfig c;

    Reference(Transformer model) {
      this.p = model.parameters();
      this.c = model.config();
    }

    private double[][] w(String name) {
      return matrix(p.get(name));
    }

    private double[] b(String name) {
      return p.get(name).toDoubleArray();
    }

    private double[] linear(String module, double[] x) {
      double[] y = matVec(w(module + ".weight"), x);
      return p.has(module + ".bias") ? add(y, b(module + ".bias")) : y;
    }

    private double[] layerNorm(String name, double[] x) {
      double mean = 0;
      for (double v : x) mean += v / x.length;
      double var = 0;
      for (double v : x) var += (v - mean) * (v - mean) / x.length;
      double[] gain = b(name + ".weight");
      double[] shift = b(name + ".bias");
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + c.layerNormEps()) * gain[i] + shift[i];
      return y;
    }

    private double act(double v) {
      return c.activation() == TransformerConfig.Activation.RELU ? Math.max(0, v) : v * normalCdf(v);
    }

    /** Final hidden states of one sequence of token ids. */
    private double[][] encode(int[] ids) {
      int t = ids.length;
      int d = c.dModel();
      double[][] x = new double[t][];
      for (int j = 0; j < t; j++) {
        x[j] = w("embeddings.word_embeddings.weight")[ids[j]].clone();
        x[j] = add(x[j], w("embeddings.position_embeddings.weight")[j]);
        if (c.typeVocabSize() > 0) x[j] = add(x[j], w("embeddings.token_type_embeddings.weight")[0]);
        if (c.embeddingNorm()) x[j] = layerNorm("embeddings.LayerNorm", x[j]);
      }
      for (int l = 0; l < c.layers(); l++) {
        String pre = "encoder.layer." + l + ".";
        boolean preLn = c.norm() == NormPlacement.PRE;
        double[][] in = new double[t][];
        for (int j = 0; j < t; j++) in[j] = preLn ? layerNorm(pre + "attention.output.LayerNorm", x[j]) : x[j];
        double[][] h = new double[t][];
        for (int i = 0; i < t; i++) {
          double[] q = linear(pre + "attention.self.query", in[i]);
          double[] heads = new double[c.attentionWidth()];
          for (int hd = 0; hd < c.heads(); hd++) {
            int from = hd * c.headSize();
            int seen = c.causal() ? i + 1 : t;
            double[] logits = new double[seen];
            for (int j = 0; j < seen; j++) {
              double[] k = linear(pre + "attention.self.key", in[j]);
              for (int s = 0; s < c.headSize(); s++) logits[j] += c.scoreScale() * q[from + s] * k[from + s];
            }
            double[] pr = softmax(logits);
            for (int j = 0; j < seen; j++) {
              double[] v = linear(pre + "attention.self.value", in[j]);
              for (int s = 0; s < c.headSize(); s++) heads[from + s] += pr[j] * v[from + s];
            }
          }
          double[] sum = add(x[i], linear(pre + "attention.output.dense", heads));
          h[i] = c.norm() == NormPlacement.POST ? layerNorm(pre + "attention.output.LayerNorm", sum) : sum;
        }
        for (int i = 0; i < t; i++) {
          double[] z = preLn ? layerNorm(pre + "output.LayerNorm", h[i]) : h[i];
          double[] hidden = linear(pre + "intermediate.dense", z);
          for (int r = 0; r < hidden.length; r++) hidden[r] = act(hidden[r]);
          double[] sum = add(h[i], linear(pre + "output.dense", hidden));
          x[i] = c.norm() == NormPlacement.POST ? layerNorm(pre + "output.LayerNorm", sum) : sum;
        }
      }
      if (c.norm() == NormPlacement.PRE) for (int i = 0; i < t; i++) x[i] = layerNorm("encoder.LayerNorm", x[i]);
      assertEquals(d, x[0].length);
      return x;
    }
  }

  @Test
  void bertPresetIsPostLnBert() {
    TransformerConfig cfg = config(Presets.bert(), "vocabSize=19", "maxPositions=10", "dModel=6", "layers=2",
        "heads=3", "headSize=2", "mlpHidden=8", "dtype=f64");
    Transformer model = NnFixtures.randomize(Transformer.create(cfg, new Rng(1)), 2);
    int[][] ids = {{2, 7, 7, 1, 18}, {0, 3, 5, 9, 4}};
    Tensor h = model.encode(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL);
    Reference ref = new Reference(model);
    for (int b = 0; b < ids.length; b++) {
      double[][] expected = ref.encode(ids[b]);
      for (int i = 0; i < ids[b].length; i++) assertClose(expected[i], row(h, b, i), 1e-12, "seq " + b + " tok " + i);
    }
  }

  @Test
  void gptPresetIsPreLnCausalWithLmHead() {
    TransformerConfig cfg = config(Presets.gpt(), "vocabSize=13", "maxPositions=10", "dModel=6", "layers=2",
        "heads=2", "headSize=3", "mlpHidden=8", "dtype=f64");
    Transformer model = NnFixtures.randomize(Transformer.create(cfg, new Rng(3)), 4);
    int[][] ids = {{2, 7, 7, 1, 12}};
    Tensor logits = model.forward(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL); // [1, 5, 13]
    Reference ref = new Reference(model);
    double[][] hidden = ref.encode(ids[0]);
    for (int i = 0; i < ids[0].length; i++) {
      assertClose(ref.linear("lm_head", hidden[i]), row(logits, 0, i), 1e-12, "logits at " + i);
    }
  }

  /** x·Φ(x) at points computed with Python's math.erf. */
  @Test
  void geluIsTheExactErfForm() {
    double[] x = {1, -1, 0.5, 2.5, -3};
    double[] expected = {0.8413447460685429, -0.15865525393145707, 0.34573123063700656, 2.4844758366855597,
        -0.00404969409489031};
    double[] got = Tensor.of(x.clone(), x.length).gelu().toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], got[i], 1e-15, "gelu(" + x[i] + ")");
      assertEquals(expected[i], x[i] * normalCdf(x[i]), 1e-13, "reference Φ at " + x[i]);
    }
  }
}
