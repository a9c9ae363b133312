package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Save → load → the same outputs bit for bit, for every method, in PEFT's layout: adapter_config.json fields and
 * adapter_model.safetensors keys and shapes. A LoRA file as PEFT writes it (keys under the wrapper's name) loads.
 */
class AdapterFilesTest {
  static final TransformerConfig CONFIG = Fixtures.tinyClassifier(3, Pooling.MEAN);
  static final ModelInput IN = Fixtures.paddedTokenInput();

  static Transformer fresh() {
    return Fixtures.model(CONFIG);
  }

  static ObjectNode provenance() {
    ObjectNode p = AdapterJson.object();
    p.put("seed", 42);
    p.put("git_commit", "abc123");
    return p;
  }

  /** Saves, loads into a fresh base model, checks outputs and tensors are identical; returns the loaded model. */
  static TunedModel roundTrip(TunedModel tuned, Path dir) throws IOException {
    Tensor before = tuned.forward(IN, ForwardMode.EVAL);
    AdapterFiles.save(tuned, dir, provenance());
    TunedModel loaded = AdapterFiles.load(dir, fresh());
    assertBitEqual(before, loaded.forward(IN, ForwardMode.EVAL), "outputs after load");
    return loaded;
  }

  static ModulesToSave trainedHead(Transformer m) {
    ModulesToSave head = ModulesToSave.ofHead(m);
    Fixtures.randomize(head.trainable().get("base_model.model.classifier.weight"), 1.0, 31);
    Fixtures.randomize(head.trainable().get("base_model.model.classifier.bias"), 1.0, 32);
    return head;
  }

  static JsonNode config(Path dir) throws IOException {
    return AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
  }

  /** Key → shape of the adapter's safetensors file, sorted by key. */
  static Map<String, List<Integer>> shapes(Path dir) throws IOException {
    Map<String, List<Integer>> out = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      for (String name : f.names()) out.put(name, java.util.Arrays.stream(f.entry(name).shape()).boxed().toList());
    }
    return out;
  }

  static void assertPtlabObject(JsonNode c, String method) {
    JsonNode p = c.get("ptlab");
    assertTrue(p != null && p.isObject(), "a \"ptlab\" object");
    assertEquals(AdapterFiles.FORMAT_VERSION, p.get("format_version").asInt());
    assertEquals(method, p.get("method").asText());
    assertEquals(42, p.get("seed").asInt(), "provenance copied");
    assertEquals("abc123", p.get("git_commit").asText());
  }

  static PromptTuningConfig promptConfig(PromptInit init, int position, Tensor file) {
    int[][] tokens = switch (init) {
      case TEXT -> new int[][] {{5, 9, 11}};
      case CLASS_LABELS -> new int[][] {{4, 5}, {9}};
      default -> null;
    };
    String text = init == PromptInit.TEXT ? "a fine film" : init == PromptInit.CLASS_LABELS ? "bad|good" : null;
    return new PromptTuningConfig(4, init, 0.5, tokens, text, init == PromptInit.SAMPLE_VOCAB ? 20 : 0, position, file);
  }

  @Test
  void promptWithEachInitAndAHead(@TempDir Path dir) throws IOException {
    Tensor savedPrompt = null;
    for (PromptInit init : PromptInit.values()) {
      Transformer m = fresh();
      int position = init == PromptInit.TEXT ? 1 : 0;
      Tensor file = init == PromptInit.FILE ? savedPrompt : null;
      PromptTuning pt = PromptTuning.create(promptConfig(init, position, file), m, new Rng(5));
      Path out = dir.resolve(init.name());
      TunedModel loaded = roundTrip(TunedModel.of(m, pt, trainedHead(m)), out);
      JsonNode c = config(out);
      assertEquals("PROMPT_TUNING", c.get("peft_type").asText());
      assertEquals(4, c.get("num_virtual_tokens").asInt());
      assertEquals(16, c.get("token_dim").asInt());
      assertEquals(2, c.get("num_layers").asInt());
      assertEquals("SEQ_CLS", c.get("task_type").asText());
      boolean peftKnows = init == PromptInit.RANDOM || init == PromptInit.TEXT || init == PromptInit.SAMPLE_VOCAB;
      assertEquals(peftKnows ? init.name() : "RANDOM", c.get("prompt_tuning_init").asText(), init.name());
      assertEquals(init.name(), c.get("ptlab").get("prompt_tuning_init").asText());
      assertEquals(position, c.get("ptlab").get("prompt_position").asInt());
      if (init == PromptInit.TEXT) assertEquals("a fine film", c.get("prompt_tuning_init_text").asText());
      assertEquals(List.of("classifier", "score"), List.of(c.get("modules_to_save").get(0).asText(),
          c.get("modules_to_save").get(1).asText()), "PEFT's SEQ_CLS list");
      assertPtlabObject(c, "prompt");
      // PEFT's keys beside a prompt: its PeftModel wraps the HF model directly ("base_model.", not "base_model.model.")
      assertEquals(Map.of("prompt_embeddings", List.of(4, 16), "base_model.classifier.weight", List.of(3, 16),
          "base_model.classifier.bias", List.of(3)), shapes(out));
      PromptTuning back = (PromptTuning) loaded.method(PeftMethod.PROMPT);
      assertEquals(position, back.config().position());
      assertBitEqual(pt.prompt(), back.prompt(), init.name());
      try (SafetensorsFile f = SafetensorsFile.open(out.resolve(AdapterFiles.WEIGHTS))) {
        savedPrompt = f.tensor("prompt_embeddings", DType.F64); // FILE (last in the enum) starts from this
      }
    }
  }

  @Test
  void prefixPlain(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    roundTrip(TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(4))), dir);
    JsonNode c = config(dir);
    assertEquals("PREFIX_TUNING", c.get("peft_type").asText());
    assertEquals(3, c.get("num_virtual_tokens").asInt());
    assertEquals(16, c.get("token_dim").asInt());
    assertEquals(2, c.get("num_layers").asInt());
    assertFalse(c.get("prefix_projection").asBoolean());
    assertTrue(c.get("modules_to_save").isNull());
    assertPtlabObject(c, "prefix");
    assertEquals(Map.of("prompt_embeddings", List.of(3, 2 * 2 * 16)), shapes(dir)); // [m_p, L·2·d]
  }

  @Test
  void prefixWithProjectionLoadsAsTheProjectedMatrix(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    PrefixTuning p = PrefixTuning.create(new PrefixTuningConfig(3, true, 8, false, 1.0), m, new Rng(4));
    Fixtures.randomize(p.trainable().get("transform.2.bias"), 0.5, 3);
    TunedModel loaded = roundTrip(TunedModel.of(m, p, trainedHead(m)), dir);
    JsonNode c = config(dir);
    assertTrue(c.get("prefix_projection").asBoolean(), "as PEFT writes it; the stored prefix is the projected one");
    assertTrue(c.get("ptlab").get("trained_with_projection").asBoolean());
    assertEquals(8, c.get("encoder_hidden_size").asInt());
    assertEquals(Map.of("prompt_embeddings", List.of(3, 64), "base_model.classifier.weight", List.of(3, 16),
        "base_model.classifier.bias", List.of(3)), shapes(dir));
    assertEquals(List.of("prompt_embeddings"), List.copyOf(loaded.method(PeftMethod.PREFIX).trainable().keySet()));
    assertBitEqual(p.adapterTensors().get("prompt_embeddings"),
        loaded.method(PeftMethod.PREFIX).trainable().get("prompt_embeddings"), "projected prefix");
  }

  @Test
  void loraWithRsScalingAndDropout(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    Lora lora = Lora.create(new LoraConfig(2, 6, 0.1, List.of("q", "mlp_in"), true), m, new Rng(4));
    long seed = 50;
    for (Map.Entry<String, Tensor> e : lora.trainable().entrySet()) {
      if (e.getKey().endsWith("lora_B.weight")) Fixtures.randomize(e.getValue(), 0.5, seed++);
    }
    TunedModel loaded = roundTrip(TunedModel.of(m, lora), dir);
    JsonNode c = config(dir);
    assertEquals("LORA", c.get("peft_type").asText());
    assertEquals(2, c.get("r").asInt());
    assertEquals(6.0, c.get("lora_alpha").asDouble());
    assertEquals(0.1, c.get("lora_dropout").asDouble());
    assertTrue(c.get("use_rslora").asBoolean());
    List<String> targets = new java.util.ArrayList<>();
    c.get("target_modules").forEach(n -> targets.add(n.asText()));
    assertEquals(lora.modules(), targets);
    assertEquals(List.of("q", "mlp_in"), List.of(c.get("ptlab").get("targets_requested").get(0).asText(),
        c.get("ptlab").get("targets_requested").get(1).asText()));
    assertTrue(c.get("modules_to_save").isNull());
    assertPtlabObject(c, "lora");
    Map<String, List<Integer>> shapes = shapes(dir);
    assertEquals(8, shapes.size());
    // PEFT's keys for SEQ_CLS: LoraModel's "model", then BertForSequenceClassification's "bert"
    assertEquals(List.of(2, 16), shapes.get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"));
    assertEquals(List.of(16, 2), shapes.get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight"));
    assertEquals(List.of(32, 2), shapes.get("base_model.model.bert.encoder.layer.1.intermediate.dense.lora_B.weight"));
    Lora back = (Lora) loaded.method(PeftMethod.LORA);
    assertEquals(lora.config().scaling(), back.config().scaling(), 0);
    assertEquals(0.1, back.config().dropout());
    Fixtures.assertSameTensors(lora.trainable(), back.trainable(), "LoRA tensors");
  }

  /** A head trained alone is no PEFT adapter (PEFT has no peft_type for it): a model part under the model's names. */
  @Test
  void headOnly(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    TunedModel loaded = roundTrip(TunedModel.of(m, trainedHead(m)), dir);
    assertFalse(Files.exists(dir.resolve(AdapterFiles.CONFIG)), "no adapter_config.json PEFT would misread");
    JsonNode c = AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.PART_CONFIG).toFile());
    assertEquals("classifier", c.get("module").asText());
    assertEquals("SEQ_CLS", c.get("task_type").asText());
    assertPtlabObject(c, "head");
    Map<String, List<Integer>> shapes = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.PART_WEIGHTS))) {
      for (String name : f.names()) shapes.put(name, java.util.Arrays.stream(f.entry(name).shape()).boxed().toList());
    }
    assertEquals(Map.of("classifier.weight", List.of(3, 16), "classifier.bias", List.of(3)), shapes);
    assertEquals(List.of(PeftMethod.HEAD), loaded.methods().stream().map(TuningMethod::kind).toList());
  }

  @Test
  void fullFineTuningSavesTheWholeModel(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    TunedModel tuned = TunedModel.of(m, new FullFineTuning(m));
    Fixtures.randomize(m.parameters().get("encoder.layer.1.attention.self.value.weight"), 0.3, 3); // "trained"
    Fixtures.randomize(m.parameters().get("classifier.bias"), 1.0, 4);
    Tensor before = tuned.forward(IN, ForwardMode.EVAL);
    AdapterFiles.save(tuned, dir, provenance());
    assertTrue(Files.isRegularFile(dir.resolve(ModelFiles.CONFIG)));
    assertFalse(Files.exists(dir.resolve(AdapterFiles.CONFIG)));
    Transformer back = ModelFiles.load(dir);
    assertEquals(CONFIG, back.config());
    assertBitEqual(before, back.forward(IN, org.ptlab.nn.ForwardHooks.NONE, ForwardMode.EVAL), "full model reloaded");
    Fixtures.assertSameTensors(m.parameters().all(), back.parameters().all(), "weights");
  }

  @Test
  void loraAndPromptComposedSaveOneSubFolderEach(@TempDir Path dir) throws IOException {
    Transformer m = fresh();
    Lora lora = Lora.create(LoraConfig.of(2), m, new Rng(4));
    lora.trainable().forEach((k, v) -> {
      if (k.endsWith("lora_B.weight")) Fixtures.randomize(v, 0.5, k.hashCode());
    });
    PromptTuning pt = PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(6));
    TunedModel loaded = roundTrip(TunedModel.of(m, lora, pt, trainedHead(m)), dir);
    assertFalse(Files.exists(dir.resolve(AdapterFiles.CONFIG)));
    assertEquals("LORA", config(dir.resolve("lora")).get("peft_type").asText());
    assertEquals("PROMPT_TUNING", config(dir.resolve("prompt")).get("peft_type").asText());
    assertEquals("classifier", config(dir.resolve("lora")).get("modules_to_save").get(0).asText(), "head goes once");
    assertTrue(config(dir.resolve("prompt")).get("modules_to_save").isNull());
    assertEquals(Map.of("prompt_embeddings", List.of(3, 16)), shapes(dir.resolve("prompt")));
    assertEquals(4 * 2 + 1 + 2, loaded.trainable().size(), "4 LoRA pairs, the prompt, the head's weight and bias");
    Fixtures.assertSameTensors(TunedModel.of(fresh(), lora, pt, trainedHead(m)).trainable(), loaded.trainable(),
        "all trained tensors");
  }

  /** PEFT keeps the HF wrapper's attribute in its keys (BertForSequenceClassification → "bert."), stores float32. */
  @Test
  void aPeftWrittenLoraFileWithWrapperPrefixLoads(@TempDir Path dir) throws IOException {
    Map<String, Tensor> file = new LinkedHashMap<>();
    Map<String, Tensor> ours = new LinkedHashMap<>();
    long seed = 70;
    for (int layer = 0; layer < 2; layer++) {
      for (String proj : List.of("query", "value")) {
        String module = "encoder.layer." + layer + ".attention.self." + proj;
        Tensor a = Tensor.randn(new Rng(seed++), DType.F32, 0.3, 4, 16);
        Tensor b = Tensor.randn(new Rng(seed++), DType.F32, 0.3, 16, 4);
        file.put("base_model.model.bert." + module + ".lora_A.weight", a);
        file.put("base_model.model.bert." + module + ".lora_B.weight", b);
        ours.put(Lora.key(module, "lora_A"), a.to(DType.F64));
        ours.put(Lora.key(module, "lora_B"), b.to(DType.F64));
      }
    }
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve(AdapterFiles.WEIGHTS), file, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(AdapterFiles.CONFIG), """
        {"alpha_pattern": {}, "auto_mapping": null, "base_model_name_or_path": "bert-base-uncased",
         "bias": "none", "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true,
         "layers_pattern": null, "layers_to_transform": null, "lora_alpha": 8, "lora_dropout": 0.1,
         "modules_to_save": null, "peft_type": "LORA", "r": 4, "rank_pattern": {}, "revision": null,
         "target_modules": ["query", "value"], "task_type": "SEQ_CLS", "use_rslora": false}
        """);
    TunedModel loaded = AdapterFiles.load(dir, fresh());
    Lora lora = (Lora) loaded.method(PeftMethod.LORA);
    assertEquals(2.0, lora.config().scaling());
    Fixtures.assertSameTensors(ours, lora.trainable(), "PEFT tensors under our keys");
    Transformer m = fresh();
    Lora expected = Lora.create(new LoraConfig(4, 8, 0.1, List.of("query", "value"), false), m, new Rng(1));
    expected.trainable().forEach((k, v) -> v.copyFrom(ours.get(k)));
    assertBitEqual(TunedModel.of(m, expected).forward(IN, ForwardMode.EVAL), loaded.forward(IN, ForwardMode.EVAL), "outputs");
  }
}
