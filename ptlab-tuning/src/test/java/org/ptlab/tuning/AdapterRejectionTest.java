package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/** Every way an adapter folder can be wrong gets one line naming the file and what is wrong. */
class AdapterRejectionTest {
  static Transformer model() {
    return Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
  }

  /** A valid prompt + head adapter in {@code dir}. */
  static Path promptAdapter(Path dir) throws IOException {
    Transformer m = model();
    AdapterFiles.save(TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(1)),
        ModulesToSave.ofHead(m)), dir, null);
    return dir;
  }

  static Path loraAdapter(Path dir) throws IOException {
    Transformer m = model();
    AdapterFiles.save(TunedModel.of(m, Lora.create(LoraConfig.of(2), m, new Rng(1))), dir, null);
    return dir;
  }

  static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode c = (ObjectNode) AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
    edit.accept(c);
    AtomicFiles.write(dir.resolve(AdapterFiles.CONFIG), AdapterJson.MAPPER.writeValueAsString(c));
  }

  static void editTensors(Path dir, Consumer<Map<String, Tensor>> edit) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Path file = dir.resolve(AdapterFiles.WEIGHTS);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.names()) t.put(name, f.tensor(name, DType.F64));
    }
    edit.accept(t);
    SafetensorsWriter.write(file, t, Map.of());
  }

  /** Loading {@code dir} fails with one line that contains each of {@code parts}. */
  static void rejected(Path dir, String... parts) {
    Exception e = assertThrows(IllegalArgumentException.class, () -> AdapterFiles.load(dir, model()));
    Fixtures.assertOneLine(e.getMessage());
    for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
  }

  @Test
  void unknownPeftType(@TempDir Path dir) throws IOException {
    editConfig(promptAdapter(dir), c -> c.put("peft_type", "P_TUNING"));
    rejected(dir, AdapterFiles.CONFIG, "peft_type 'P_TUNING' is not supported");
  }

  @Test
  void tensorOfTheWrongShape(@TempDir Path dir) throws IOException {
    editTensors(promptAdapter(dir), t -> t.put("prompt_embeddings", Tensor.zeros(DType.F64, 4, 16)));
    rejected(dir, AdapterFiles.WEIGHTS, "'prompt_embeddings'", "[4, 16]", "[3, 16]");
    Path lora = loraAdapter(dir.resolve("lora"));
    editTensors(lora, t -> t.put("base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight",
        Tensor.zeros(DType.F64, 16, 3)));
    rejected(lora, "lora_B.weight", "[16, 3]", "[16, 2]");
  }

  @Test
  void unexpectedTensor(@TempDir Path dir) throws IOException {
    editTensors(promptAdapter(dir), t -> t.put("base_model.model.pooler.dense.weight", Tensor.zeros(DType.F64, 2, 2)));
    rejected(dir, AdapterFiles.WEIGHTS, "unexpected tensor 'base_model.model.pooler.dense.weight'");
    Path head = promptAdapter(dir.resolve("no-head"));
    editConfig(head, c -> c.putNull("modules_to_save")); // the head's tensors are then unexpected
    rejected(head, "unexpected tensor 'base_model.classifier"); // PEFT's key beside a prompt
  }

  @Test
  void missingTensor(@TempDir Path dir) throws IOException {
    editTensors(promptAdapter(dir), t -> t.remove("prompt_embeddings"));
    rejected(dir, AdapterFiles.WEIGHTS, "missing tensor 'prompt_embeddings'");
    Path lora = loraAdapter(dir.resolve("lora"));
    editTensors(lora, t -> t.remove("base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight"));
    rejected(lora, "missing tensor 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight'");
    Path head = promptAdapter(dir.resolve("head"));
    editTensors(head, t -> t.remove("base_model.classifier.bias"));
    rejected(head, "missing tensor 'base_model.classifier.bias'");
  }

  @Test
  void malformedJson(@TempDir Path dir) throws IOException {
    promptAdapter(dir);
    Files.writeString(dir.resolve(AdapterFiles.CONFIG), "{\"peft_type\": \"PROMPT_TUNING\", \"num_virtual_tokens\": 3,,}");
    rejected(dir, AdapterFiles.CONFIG, "malformed JSON");
    Files.writeString(dir.resolve(AdapterFiles.CONFIG), "[1, 2]");
    rejected(dir, AdapterFiles.CONFIG, "not a JSON object");
  }

  @Test
  void sizesOrModulesThatDoNotFitTheModel(@TempDir Path dir) throws IOException {
    editConfig(promptAdapter(dir.resolve("dim")), c -> c.put("token_dim", 768));
    rejected(dir.resolve("dim"), "\"token_dim\" is 768, the model has 16");
    editConfig(promptAdapter(dir.resolve("len")), c -> c.put("num_virtual_tokens", 0));
    rejected(dir.resolve("len"), "\"num_virtual_tokens\" must be a positive integer");
    editConfig(promptAdapter(dir.resolve("head")), c -> c.putArray("modules_to_save").add("score"));
    rejected(dir.resolve("head"), "modules_to_save", "classifier");
    Path lora = loraAdapter(dir.resolve("lora"));
    editTensors(lora, t -> {
      t.put("base_model.model.bert.encoder.layer.7.attention.self.query.lora_A.weight", Tensor.zeros(DType.F64, 2, 16));
      t.put("base_model.model.bert.encoder.layer.7.attention.self.query.lora_B.weight", Tensor.zeros(DType.F64, 16, 2));
    });
    rejected(lora, "LoRA module", "encoder.layer.7.attention.self.query", "is not in the model");
    editConfig(loraAdapter(dir.resolve("alpha")), c -> c.put("lora_alpha", "sixteen"));
    rejected(dir.resolve("alpha"), "\"lora_alpha\" must be a number");
  }

  @Test
  void foldersWithoutAnAdapter(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    rejected(dir.resolve("empty"), "has no " + AdapterFiles.CONFIG);
    rejected(dir.resolve("absent"), "is not a folder");
    Files.delete(promptAdapter(dir.resolve("noweights")).resolve(AdapterFiles.WEIGHTS));
    rejected(dir.resolve("noweights"), "no " + AdapterFiles.WEIGHTS);
  }
}
