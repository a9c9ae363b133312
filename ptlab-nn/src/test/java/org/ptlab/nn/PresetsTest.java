package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Preset shapes and Hugging Face names, seeded creation, and loading weights by name. */
class PresetsTest {
  /**
   * all-MiniLM-L6-v2 without its pooler holds 22,565,376 floats (22,713,216 with the 384×384+384 pooler;
   * position_ids is a buffer, not a parameter). No forward pass here.
   */
  @Test
  void bertHasMiniLmParameterCountAndNames() {
    TransformerConfig c = Presets.bert();
    assertEquals(Head.NONE, c.head());
    Transformer model = Transformer.create(c, new Rng(1));
    ParameterSet p = model.parameters();
    assertEquals(22_565_376L, p.count());

    Set<String> expected = new LinkedHashSet<>();
    for (String e : new String[] {"word_embeddings.weight", "position_embeddings.weight",
        "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias"}) expected.add("embeddings." + e);
    for (int l = 0; l < 6; l++) {
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
          "output.LayerNorm"}) {
        expected.add("encoder.layer." + l + "." + m + ".weight");
        expected.add("encoder.layer." + l + "." + m + ".bias");
      }
    }
    assertEquals(expected, p.all().keySet(), "Hugging Face BertModel names, no pooler");
    assertArrayEquals(new int[] {30522, 384}, p.get("embeddings.word_embeddings.weight").shape());
    assertArrayEquals(new int[] {512, 384}, p.get("embeddings.position_embeddings.weight").shape());
    assertArrayEquals(new int[] {2, 384}, p.get("embeddings.token_type_embeddings.weight").shape());
    assertArrayEquals(new int[] {384, 384}, p.get("encoder.layer.0.attention.self.query.weight").shape());
    assertArrayEquals(new int[] {1536, 384}, p.get("encoder.layer.3.intermediate.dense.weight").shape());
    assertArrayEquals(new int[] {384, 1536}, p.get("encoder.layer.3.output.dense.weight").shape());
    assertArrayEquals(new int[] {384}, p.get("encoder.layer.5.output.LayerNorm.bias").shape());
    assertEquals(DType.F32, p.dtype());
  }

  @Test
  void paperAndGptPresetShapes() {
    TransformerConfig paper = Presets.of("paper");
    assertEquals(Presets.paper(8, 16), paper);
    assertEquals(1.0, paper.scoreScale());
    assertEquals(DType.F64, paper.dtype());
    // W_q, W_k, W_v, W_o (d×d each), W1 + b1, W2 + b2.
    assertEquals(4 * 64 + (16 * 8 + 16) + (8 * 16 + 8), Transformer.create(paper, new Rng(1)).parameters().count());
    TransformerConfig gpt = config(Presets.gpt(), "vocabSize=11", "maxPositions=7", "dModel=4", "layers=1",
        "heads=2", "headSize=3", "mlpHidden=5");
    Map<String, Tensor> all = Transformer.create(gpt, new Rng(1)).parameters().all();
    assertTrue(all.containsKey("encoder.LayerNorm.weight"), "pre-LN has a final layer norm");
    assertArrayEquals(new int[] {11, 4}, all.get("lm_head.weight").shape());
    assertFalse(all.containsKey("embeddings.token_type_embeddings.weight"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.of("llama"));
    assertTrue(e.getMessage().contains("llama") && e.getMessage().contains("paper, bert, gpt"), e.getMessage());
  }

  static TransformerConfig small() {
    return config(Presets.bert(), "vocabSize=13", "maxPositions=9", "dModel=4", "layers=2", "heads=2",
        "headSize=2", "mlpHidden=6", "head=classify", "outputs=3", "pooling=first");
  }

  @Test
  void sameSeedSameWeightsBitForBit() {
    Map<String, Tensor> a = Transformer.create(small(), new Rng(42)).parameters().all();
    Map<String, Tensor> b = Transformer.create(small(), new Rng(42)).parameters().all();
    Map<String, Tensor> other = Transformer.create(small(), new Rng(43)).parameters().all();
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).toFloatArray(), b.get(name).toFloatArray(), name);
    }
    assertFalse(java.util.Arrays.equals(a.get("encoder.layer.1.output.dense.weight").toFloatArray(),
        other.get("encoder.layer.1.output.dense.weight").toFloatArray()), "another seed, other weights");
  }

  @Test
  void withWeightsLoadsEveryWeightByName() {
    Transformer source = NnFixtures.randomize(Transformer.create(small(), new Rng(1)), 2);
    Transformer loaded = Transformer.withWeights(small(), new HashMap<>(source.parameters().all()), "w.safetensors");
    int[][] ids = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    assertArrayEquals(source.forward(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL).toFloatArray(),
        loaded.forward(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL).toFloatArray());
    // float64 weights are converted to the config's float32.
    Map<String, Tensor> f64 = new LinkedHashMap<>();
    source.parameters().all().forEach((k, v) -> f64.put(k, v.to(DType.F64)));
    Transformer converted = Transformer.withWeights(small(), f64, "w.safetensors");
    assertEquals(DType.F32, converted.parameters().get("classifier.weight").dtype());
    assertArrayEquals(source.parameters().get("classifier.weight").toFloatArray(),
        converted.parameters().get("classifier.weight").toFloatArray());
  }

  @Test
  void withWeightsRejectsMissingExtraAndMisShapedWeights() {
    Map<String, Tensor> good = Transformer.create(small(), new Rng(1)).parameters().all();
    String name = "encoder.layer.1.attention.self.key.bias";

    Map<String, Tensor> missing = new LinkedHashMap<>(good);
    missing.remove(name);
    assertOneLine(missing, name, "missing");

    Map<String, Tensor> extra = new LinkedHashMap<>(good);
    extra.put("pooler.dense.weight", Tensor.zeros(DType.F32, 4, 4));
    assertOneLine(extra, "pooler.dense.weight", "unexpected");

    Map<String, Tensor> misShaped = new LinkedHashMap<>(good);
    misShaped.put(name, Tensor.zeros(DType.F32, 5));
    assertOneLine(misShaped, name, "[5]");
  }

  private static void assertOneLine(Map<String, Tensor> weights, String... mustName) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transformer.withWeights(small(), weights, "model.safetensors"));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one line: " + msg);
    assertTrue(msg.startsWith("model.safetensors: "), msg);
    for (String s : mustName) assertTrue(msg.contains(s), "names '" + s + "': " + msg);
  }

  @Test
  void classifyHeadPoolsAsConfigured() {
    TransformerConfig c = config(small(), "dtype=f64", "pooling=mean");
    assertEquals(Pooling.MEAN, c.pooling());
    Transformer model = NnFixtures.randomize(Transformer.create(c, new Rng(3)), 4);
    int[][] ids = {{1, 2, 3, 0}};
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 0}, 1, 4);
    ModelInput in = new ModelInput(ids, null, mask);
    Tensor h = model.encode(in, ForwardHooks.NONE, ForwardMode.EVAL); // [1, 4, 4]
    Tensor w = model.parameters().get("classifier.weight");
    Tensor bias = model.parameters().get("classifier.bias");
    double[] pooled = new double[4];
    for (int i = 0; i < 3; i++) pooled = NnFixtures.add(pooled, NnFixtures.scale(1 / 3.0, NnFixtures.row(h, 0, i)));
    double[] logits = NnFixtures.add(NnFixtures.matVec(NnFixtures.matrix(w), pooled), bias.toDoubleArray());
    NnFixtures.assertClose(logits, model.forward(in, ForwardHooks.NONE, ForwardMode.EVAL).toDoubleArray(), 1e-12,
        "mean over real tokens, then the classifier");
  }
}
