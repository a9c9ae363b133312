package org.ptlab.tuning.prefix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;
import static org.ptlab.tuning.Fixtures.maxAbsDiff;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;

/** Prefix tuning: PEFT's [m_p, L·2·w] layout, the MLP reparameterisation, zero init, visibility under causality. */
class PrefixTuningTest {
  static final PrefixTuningConfig PROJECTED = new PrefixTuningConfig(3, true, 8, false, 1.0);

  @Test
  void layerLGetsKeysThenValuesFromItsColumnsOfOneMatrix() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    PrefixTuning prefix = PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(2));
    Map<String, Tensor> t = prefix.trainable();
    assertEquals(List.of("prompt_embeddings"), List.copyOf(t.keySet()));
    Tensor all = t.get("prompt_embeddings");
    assertArrayEquals(new int[] {3, 2 * 2 * 16}, all.shape()); // [m_p, L·2·w]
    for (int layer = 0; layer < 2; layer++) {
      Tensor[] kv = prefix.hooks().prefix(layer);
      assertEquals(2, kv.length);
      for (int j = 0; j < 2; j++) {
        int from = (2 * layer + j) * 16;
        assertBitEqual(all.slice(1, from, from + 16).copy(), kv[j].copy(), "layer " + layer + (j == 0 ? " K" : " V"));
      }
    }
  }

  @Test
  void projectionIsTanhMlpOfAnEmbeddingAndSavesTheProjectedMatrix() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    PrefixTuning prefix = PrefixTuning.create(PROJECTED, m, new Rng(2));
    Map<String, Tensor> t = prefix.trainable();
    assertEquals(List.of("embedding.weight", "transform.0.weight", "transform.0.bias", "transform.2.weight",
        "transform.2.bias"), List.copyOf(t.keySet()));
    assertArrayEquals(new int[] {3, 16}, t.get("embedding.weight").shape());
    assertArrayEquals(new int[] {8, 16}, t.get("transform.0.weight").shape());
    assertArrayEquals(new int[] {64, 8}, t.get("transform.2.weight").shape());
    Fixtures.randomize(t.get("transform.0.bias"), 0.5, 3);
    Fixtures.randomize(t.get("transform.2.bias"), 0.5, 4);
    // by hand: P[i, c] = Σ_j W2[c, j]·tanh(Σ_k W1[j, k]·E[i, k] + b1[j]) + b2[c]
    Tensor e = t.get("embedding.weight");
    Tensor w1 = t.get("transform.0.weight");
    Tensor b1 = t.get("transform.0.bias");
    Tensor w2 = t.get("transform.2.weight");
    Tensor b2 = t.get("transform.2.bias");
    Tensor expected = Tensor.zeros(DType.F64, 3, 64);
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < 64; c++) {
        double v = b2.getFlat(c);
        for (int j = 0; j < 8; j++) {
          double h = b1.getFlat(j);
          for (int k = 0; k < 16; k++) h += w1.get(j, k) * e.get(i, k);
          v += w2.get(c, j) * Math.tanh(h);
        }
        expected.setFlat(i * 64 + c, v);
      }
    }
    Map<String, Tensor> saved = prefix.adapterTensors();
    assertEquals(List.of("prompt_embeddings"), List.copyOf(saved.keySet()));
    assertTrue(maxAbsDiff(expected, saved.get("prompt_embeddings")) < 1e-13);
    assertTrue(maxAbsDiff(expected.slice(1, 16, 32), prefix.hooks().prefix(0)[1]) < 1e-13, "layer 0 values");
  }

  @Test
  void zeroInitStartsEveryKeyAndValueAtZero() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    for (boolean projection : new boolean[] {false, true}) {
      PrefixTuning p = PrefixTuning.create(new PrefixTuningConfig(4, projection, 8, true, 1.0), m, new Rng(2));
      Tensor all = p.adapterTensors().get("prompt_embeddings");
      assertArrayEquals(new int[] {4, 64}, all.shape());
      assertEquals(0.0, all.square().sum().item(), "projection " + projection);
    }
    PrefixTuning random = PrefixTuning.create(PrefixTuningConfig.of(4), m, new Rng(2));
    assertTrue(random.trainable().get("prompt_embeddings").square().sum().item() > 0);
  }

  /** A prefix sits before every query, so even the first position of a causal model sees it. */
  @Test
  void aCausalModelsFirstPositionSeesThePrefixAndThePrompt() {
    Transformer gpt = Fixtures.model(Fixtures.tinyGpt(DType.F64));
    ModelInput in = Fixtures.tokenInput();
    Tensor base = gpt.forward(in, ForwardHooks.NONE, ForwardMode.EVAL).slice(1, 0, 1);
    Tensor withPrefix = TunedModel.of(gpt, PrefixTuning.create(PrefixTuningConfig.of(2), gpt, new Rng(5)))
        .forward(in, ForwardMode.EVAL).slice(1, 0, 1);
    assertTrue(maxAbsDiff(base, withPrefix) > 1e-3);
    Tensor withPrompt = TunedModel.of(gpt, org.ptlab.tuning.prompt.PromptTuning.create(
        org.ptlab.tuning.prompt.PromptTuningConfig.random(2), gpt, new Rng(5))).forward(in, ForwardMode.EVAL).slice(1, 0, 1);
    assertTrue(maxAbsDiff(base, withPrompt) > 1e-3);
  }

  /** The hooks, used on their own (as ForwardHooks), read the prefix as it is now, not as a past pass left it. */
  @Test
  void hooksUsedDirectlySeeTheCurrentWeights() {
    Transformer m = Fixtures.model(Fixtures.tinyBert());
    PrefixTuning prefix = PrefixTuning.create(PROJECTED, m, new Rng(2));
    TunedModel t = TunedModel.of(m, prefix);
    ModelInput in = Fixtures.tokenInput();
    Tensor before = t.forward(in, ForwardMode.EVAL);
    Fixtures.randomize(prefix.trainable().get("transform.2.bias"), 1.0, 9); // as an optimizer step would
    Tensor direct = m.forward(in, t.hooks(), ForwardMode.EVAL);
    Tensor viaModel = t.forward(in, ForwardMode.EVAL);
    assertTrue(maxAbsDiff(before, viaModel) > 1e-3);
    assertBitEqual(viaModel, direct, "hooks() after an update");
  }
}
