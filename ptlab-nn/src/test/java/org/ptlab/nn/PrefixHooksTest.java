package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.assertClose;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.randn;
import static org.ptlab.nn.NnFixtures.relErr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptlab.nn.NnFixtures.AttentionCall;
import org.ptlab.nn.NnFixtures.RecordingKernel;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Prefix tuning: per-layer keys and values {K_l, V_l} [m_p, h·s] prepended to every layer's keys and values only. */
class PrefixHooksTest {
  static final int D = 4;
  static final int HEADS = 2;
  static final int S = 3;
  static final int MP = 2;

  static Transformer model(boolean causal, int layers) {
    TransformerConfig c = config(Presets.paper(D, 6), "layers=" + layers, "heads=" + HEADS, "headSize=" + S,
        "attentionBias=true", "norm=pre", "positional=learned", "maxPositions=16", "causal=" + causal,
        "scoreScale=0.6");
    return NnFixtures.randomize(Transformer.create(c, new Rng(2)), 3);
  }

  static Tensor[][] prefixes(int layers, long seed) {
    Tensor[][] kv = new Tensor[layers][];
    for (int l = 0; l < layers; l++) {
      kv[l] = new Tensor[] {randn(seed + 2 * l, MP, HEADS * S), randn(seed + 2 * l + 1, MP, HEADS * S)};
    }
    return kv;
  }

  /** Concatenates layer l's prefix onto k and v (mask 1 for it) and calls Tensor.attention: prefix tuning by hand. */
  static final class ConcatKernel implements AttentionKernel {
    private final Tensor[][] kv;
    private int layer;

    ConcatKernel(Tensor[][] kv) {
      this.kv = kv;
    }

    @Override
    public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask, boolean causal) {
      int b = q.dim(0);
      int t = k.dim(1);
      Tensor[] p = kv[layer++];
      Tensor k2 = Tensor.concat(1, p[0].reshape(1, MP, -1).expand(b, MP, k.dim(2)), k);
      Tensor v2 = Tensor.concat(1, p[1].reshape(1, MP, -1).expand(b, MP, v.dim(2)), v);
      Tensor m = mask == null ? Tensor.ones(q.dtype(), b, t) : mask;
      Tensor m2 = Tensor.concat(1, Tensor.ones(q.dtype(), b, MP), m);
      return Tensor.attention(q, k2, v2, heads, scale, m2, causal);
    }

    @Override
    public String name() {
      return "concat";
    }
  }

  @ParameterizedTest(name = "causal {0}")
  @ValueSource(booleans = {false, true})
  void prefixEqualsConcatenatingKeysAndValues(boolean causal) {
    int layers = 2;
    Transformer model = model(causal, layers);
    Tensor[][] kv = prefixes(layers, 10);
    Tensor x = randn(1, 2, 5, D);
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5);
    for (ModelInput in : new ModelInput[] {ModelInput.ofVectors(x), new ModelInput(null, x, mask)}) {
      Tensor y = model.forward(in, NnFixtures.prefix(kv), ForwardMode.EVAL);
      assertArrayEquals(new int[] {2, 5, D}, y.shape(), "output keeps the input's length");
      model.setAttentionKernel(new ConcatKernel(kv));
      Tensor expected = model.forward(in, ForwardHooks.NONE, ForwardMode.EVAL);
      model.setAttentionKernel(AttentionKernel.EXACT);
      assertClose(expected, y, 1e-12, "prefix hooks vs concatenation, mask " + (in.attendMask() != null));
      Tensor plain = model.forward(in, ForwardHooks.NONE, ForwardMode.EVAL);
      assertTrue(relErr(plain.toDoubleArray(), y.toDoubleArray()) > 1e-3, "the prefix must change the output");
    }
  }

  /** Query i of a causal layer attends to all m_p prefix keys and input keys 0…i, checked against a hand softmax. */
  @Test
  void causalQueriesAllSeeThePrefix() {
    Transformer model = model(true, 1);
    Tensor[][] kv = prefixes(1, 20);
    RecordingKernel rec = new RecordingKernel();
    model.setAttentionKernel(rec);
    int m = 4;
    model.forward(ModelInput.ofVectors(randn(5, 1, m, D)), NnFixtures.prefix(kv), ForwardMode.EVAL);
    AttentionCall call = rec.calls.get(0);
    assertEquals(MP + m, call.k().dim(1), "keys = prefix + input");
    assertTrue(call.causal());
    for (int i = 0; i < m; i++) {
      for (int h = 0; h < HEADS; h++) {
        int seen = MP + i + 1;
        double[] logits = new double[seen];
        double[][] values = new double[seen][S];
        for (int j = 0; j < seen; j++) {
          for (int c = 0; c < S; c++) {
            logits[j] += call.scale() * call.q().get(0, i, h * S + c) * call.k().get(0, j, h * S + c);
            values[j][c] = call.v().get(0, j, h * S + c);
          }
        }
        double[] expected = NnFixtures.combine(NnFixtures.softmax(logits), values);
        double[] actual = new double[S];
        for (int c = 0; c < S; c++) actual[c] = call.out().get(0, i, h * S + c);
        assertClose(expected, actual, 1e-12, "query " + i + ", head " + h);
      }
    }
    // And the prefix reaches the first query's output through the model.
    model.setAttentionKernel(AttentionKernel.EXACT);
    Tensor x = randn(6, 1, m, D);
    Tensor y1 = model.forward(ModelInput.ofVectors(x), NnFixtures.prefix(kv), ForwardMode.EVAL);
    Tensor y2 = model.forward(ModelInput.ofVectors(x), NnFixtures.prefix(prefixes(1, 30)), ForwardMode.EVAL);
    assertTrue(relErr(NnFixtures.row(y1, 0, 0), NnFixtures.row(y2, 0, 0)) > 1e-3, "query 0 sees the prefix");
  }
}
