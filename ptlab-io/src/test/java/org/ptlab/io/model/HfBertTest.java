package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.Json;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Hugging Face BERT folders: HF folder → PTLab → HF folder keeps every tensor's bits; unmappable input is named. */
class HfBertTest {
  @TempDir Path dir;

  /** A small bert: the preset's arithmetic, sizes a test can afford. */
  static TransformerConfig small() {
    return Presets.bert().toBuilder().vocabSize(50).maxPositions(16).dModel(32).layers(2).heads(4).headSize(8)
        .scoreScale(1 / Math.sqrt(8)).mlpHidden(64).build();
  }

  /** An HF folder as BertModel.save_pretrained writes it: HF fields, bert. prefix, a pooler. */
  static Path hfFolder(Path dir, Transformer model) throws IOException {
    TransformerConfig c = model.config();
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("_name_or_path", "sentence-transformers/all-MiniLM-L6-v2");
    cfg.put("architectures", java.util.List.of("BertModel"));
    cfg.put("attention_probs_dropout_prob", 0.1);
    cfg.put("classifier_dropout", null);
    cfg.put("gradient_checkpointing", false);
    cfg.put("hidden_act", "gelu");
    cfg.put("hidden_dropout_prob", 0.1);
    cfg.put("hidden_size", c.dModel());
    cfg.put("initializer_range", 0.02);
    cfg.put("intermediate_size", c.mlpHidden());
    cfg.put("layer_norm_eps", 1e-12);
    cfg.put("max_position_embeddings", c.maxPositions());
    cfg.put("model_type", "bert");
    cfg.put("num_attention_heads", c.heads());
    cfg.put("num_hidden_layers", c.layers());
    cfg.put("pad_token_id", 0);
    cfg.put("position_embedding_type", "absolute");
    cfg.put("torch_dtype", "float32");
    cfg.put("transformers_version", "4.8.2");
    cfg.put("type_vocab_size", c.typeVocabSize());
    cfg.put("use_cache", true);
    cfg.put("vocab_size", c.vocabSize());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), Json.pretty(cfg));
    Map<String, Tensor> w = new LinkedHashMap<>();
    model.parameters().all().forEach((k, v) -> w.put("bert." + k, v));
    Rng rng = new Rng(9);
    w.put("bert.pooler.dense.weight", Tensor.randn(rng, DType.F32, 0.02, c.dModel(), c.dModel()));
    w.put("bert.pooler.dense.bias", Tensor.zeros(DType.F32, c.dModel()));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), w, Map.of("format", "pt"));
    return dir;
  }

  @Test
  void anHfFolderLoadsExportsBitForBitAndComputesTheSame() throws Exception {
    Transformer original = Transformer.create(small(), new Rng(4));
    Path hf = hfFolder(dir.resolve("hf"), original);
    ModelSource src = ModelSource.of(hf.toString());
    assertEquals(ModelSource.Kind.FOLDER, src.kind());
    assertEquals(small(), src.config(), "HF fields map onto the bert preset's fields");
    Transformer loaded = src.load(src.config(), null);
    int[][] ids = {{1, 7, 3, 49, 2}, {5, 5, 0, 11, 2}};
    Tensor a = original.forward(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL);
    Tensor b = loaded.forward(ModelInput.ofTokens(ids), ForwardHooks.NONE, ForwardMode.EVAL);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "forward outputs equal");

    Path out = dir.resolve("out");
    ModelFiles.saveHf(loaded, out);
    sameTensors(original.parameters().all(), out.resolve("model.safetensors"));
    Map<String, Object> written = Json.parseMap(Files.readString(out.resolve("config.json")));
    assertEquals("bert", written.get("model_type"));
    assertEquals(java.util.List.of("BertModel"), written.get("architectures"));
    Map<String, Object> given = Json.parseMap(Files.readString(hf.resolve("config.json")));
    for (String k : new String[] {"hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
        "hidden_act", "max_position_embeddings", "type_vocab_size", "vocab_size", "layer_norm_eps"}) {
      assertEquals(given.get(k), written.get(k), k);
    }
    assertEquals(small(), ModelSource.of(out.toString()).config(), "the written folder reads back the same");
  }

  @Test
  void miniLmWeightsRoundTripBitForBit() throws Exception {
    Transformer minilm = Transformer.withWeights(Presets.bert(), MiniLm.weights(), MiniLm.NAME);
    Path a = dir.resolve("a");
    ModelFiles.saveHf(minilm, a);
    ModelSource src = ModelSource.of(a.toString());
    assertEquals(Presets.bert(), src.config());
    Path b = dir.resolve("b");
    ModelFiles.saveHf(src.load(src.config(), null), b);
    sameTensors(MiniLm.weights(), b.resolve("model.safetensors"));
    assertEquals(Files.readString(a.resolve("config.json")), Files.readString(b.resolve("config.json")));
  }

  private static void sameTensors(Map<String, Tensor> want, Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(want.keySet(), new java.util.HashSet<>(f.names()));
      for (Map.Entry<String, Tensor> e : want.entrySet()) {
        Tensor got = f.tensor(e.getKey(), DType.F32);
        assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
        float[] x = e.getValue().toFloatArray();
        float[] y = got.toFloatArray();
        for (int i = 0; i < x.length; i++) {
          if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
            throw new AssertionError(e.getKey() + "[" + i + "]: " + x[i] + " != " + y[i]);
          }
        }
      }
    }
  }

  @Test
  void anUnmappableFieldIsOneLineNamingIt() throws Exception {
    Path hf = hfFolder(dir.resolve("hf"), Transformer.create(small(), new Rng(1)));
    Path cfg = hf.resolve("config.json");
    String json = Files.readString(cfg);
    Files.writeString(cfg, json.replace("\"use_cache\"", "\"rotary_dim\" : 4,\n  \"use_cache\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(hf.toString()).config());
    assertTrue(e.getMessage().contains("'rotary_dim'"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    Files.writeString(cfg, json.replace("\"gelu\"", "\"gelu_new\""));
    e = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(hf.toString()).config());
    assertTrue(e.getMessage().contains("hidden_act") && e.getMessage().contains("gelu_new"), e.getMessage());

    Files.writeString(cfg, json.replace("\"model_type\" : \"bert\"", "\"model_type\" : \"t5\""));
    e = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(hf.toString()).config());
    assertTrue(e.getMessage().contains("model_type 't5'"), e.getMessage());

    Files.writeString(cfg, json.replace("\"absolute\"", "\"relative_key\""));
    e = assertThrows(IllegalArgumentException.class, () -> ModelSource.of(hf.toString()).config());
    assertTrue(e.getMessage().contains("position_embedding_type"), e.getMessage());
  }

  @Test
  void anUnmappableTensorIsOneLineNamingIt() throws Exception {
    Transformer m = Transformer.create(small(), new Rng(1));
    Path hf = hfFolder(dir.resolve("hf"), m);
    Map<String, Tensor> w = new LinkedHashMap<>(m.parameters().all());
    w.put("encoder.layer.0.attention.self.rotary.weight", Tensor.zeros(DType.F32, 2));
    SafetensorsWriter.write(hf.resolve("model.safetensors"), w, Map.of("format", "pt"));
    ModelSource src = ModelSource.of(hf.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> src.load(src.config(), null));
    assertTrue(e.getMessage().contains("encoder.layer.0.attention.self.rotary.weight"), e.getMessage());
  }

  @Test
  void exportRefusesWhatBertModelCannotExpress() {
    assertNotNull(HfBert.unsupported(Presets.of("paper")));
    assertNotNull(HfBert.unsupported(Presets.gpt()));
    assertNotNull(HfBert.unsupported(small().toBuilder().headSize(4).scoreScale(0.5).build()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HfBert.writeConfig(small().toBuilder().norm(TransformerConfig.NormPlacement.PRE).build()));
    assertTrue(e.getMessage().startsWith("--format hf: norm PRE"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> HfBert.writeConfig(Presets.of("paper")));
    assertTrue(e.getMessage().contains("paper preset"), e.getMessage());
  }
}
