package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/** Reads one adapter folder (see {@link AdapterFiles}) into methods on a model. */
final class AdapterReader {
  private AdapterReader() {}

  static List<TuningMethod> read(Path folder, Transformer model) throws IOException {
    Path configFile = folder.resolve(AdapterFiles.CONFIG);
    Path weights = folder.resolve(AdapterFiles.WEIGHTS);
    if (!Files.isRegularFile(weights)) throw new IllegalArgumentException(folder + ": no " + AdapterFiles.WEIGHTS);
    JsonNode config;
    try {
      config = AdapterJson.MAPPER.readTree(configFile.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(configFile + ": malformed JSON (" + e.getOriginalMessage() + ")");
    }
    if (config == null || !config.isObject()) throw new IllegalArgumentException(configFile + ": not a JSON object");
    List<TuningMethod> methods = new ArrayList<>();
    Set<String> used = new HashSet<>();
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      JsonNode type = config.get("peft_type");
      if (type != null && !type.isNull()) {
        Method kind = Method.fromPeftType(type.asText(), configFile.toString());
        TuningMethod m = switch (kind) {
          case PROMPT -> prompt(config, configFile, model);
          case PREFIX -> prefix(config, configFile, model);
          case LORA -> lora(config, configFile, model, f);
          default -> throw new IllegalStateException(kind.name());
        };
        Map<String, Tensor> byFileKey = kind == Method.LORA ? loraFileKeys((Lora) m, f, model, configFile) : m.adapterTensors();
        used.addAll(AdapterFiles.copyInto(f, byFileKey, weights.toString()));
        methods.add(m);
      }
      JsonNode save = config.get("modules_to_save");
      if (save != null && save.isArray() && save.size() > 0) {
        ModulesToSave head = ModulesToSave.ofHead(model);
        if (head == null || save.size() != 1 || !save.get(0).asText().equals(head.module())) {
          throw new IllegalArgumentException(configFile + ": modules_to_save " + save + " does not match the model's "
              + "head (" + (head == null ? "none" : head.module()) + ")");
        }
        used.addAll(AdapterFiles.copyInto(f, head.trainable(), weights.toString()));
        methods.add(head);
      }
      for (String name : f.names()) {
        if (!used.contains(name)) throw new IllegalArgumentException(weights + ": unexpected tensor '" + name + "'");
      }
    }
    return methods;
  }

  private static TuningMethod prompt(JsonNode c, Path file, Transformer model) {
    int mp = AdapterFiles.intField(c, "num_virtual_tokens", file);
    checkDim(c, "token_dim", model.config().dModel(), file);
    JsonNode ptlab = c.path("ptlab");
    int position = ptlab.path("prompt_position").asInt(0);
    Tensor placeholder = Tensor.zeros(model.config().dtype(), mp, model.config().dModel());
    return PromptTuning.create(new PromptTuningConfig(mp, PromptInit.FILE, 0.5, null, null, 0, position, placeholder),
        model, AdapterFiles.unusedRng());
  }

  private static TuningMethod prefix(JsonNode c, Path file, Transformer model) {
    int mp = AdapterFiles.intField(c, "num_virtual_tokens", file);
    checkDim(c, "token_dim", model.config().attentionWidth(), file);
    checkDim(c, "num_layers", model.config().layers(), file);
    if (c.path("prefix_projection").asBoolean(false)) {
      throw new IllegalArgumentException(file + ": prefix_projection true (PEFT training mode) is not supported; "
          + "save with inference_mode so the projected prefix is stored");
    }
    return PrefixTuning.create(PrefixTuningConfig.of(mp), model, AdapterFiles.unusedRng());
  }

  private static TuningMethod lora(JsonNode c, Path file, Transformer model, SafetensorsFile f) {
    int r = AdapterFiles.intField(c, "r", file);
    JsonNode alpha = c.get("lora_alpha");
    if (alpha == null || !alpha.isNumber()) throw new IllegalArgumentException(file + ": \"lora_alpha\" must be a number");
    boolean rs = c.path("use_rslora").asBoolean(false);
    List<String> modules = new ArrayList<>(loraModules(f, model, file).values());
    if (modules.isEmpty()) throw new IllegalArgumentException(file + ": no lora_A tensors");
    LoraConfig config = new LoraConfig(r, alpha.asDouble(), c.path("lora_dropout").asDouble(0.0), modules, rs);
    return Lora.create(config, model, AdapterFiles.unusedRng());
  }

  /** The file's key prefix (without .lora_A.weight) → our module name. */
  private static Map<String, String> loraModules(SafetensorsFile f, Transformer model, Path file) {
    Map<String, String> modules = new LinkedHashMap<>();
    for (String key : f.names()) {
      if (!key.endsWith(".lora_A.weight")) continue;
      String stem = key.substring(0, key.length() - ".lora_A.weight".length());
      String path = stem.startsWith("base_model.model.") ? stem.substring("base_model.model.".length()) : stem;
      modules.put(stem, resolveModule(path, model, file));
    }
    return modules;
  }

  /** LoRA's tensors under the keys the file uses (PEFT may prefix the module path with its wrapper's name). */
  private static Map<String, Tensor> loraFileKeys(Lora lora, SafetensorsFile f, Transformer model, Path file) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : loraModules(f, model, file).entrySet()) {
      out.put(e.getKey() + ".lora_A.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_A")));
      out.put(e.getKey() + ".lora_B.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_B")));
    }
    return out;
  }

  /** A module path from a PEFT key: exactly ours, or ours under a wrapper prefix such as "bert.". */
  private static String resolveModule(String path, Transformer model, Path file) {
    String p = path;
    while (true) {
      if (model.parameters().has(p + ".weight")) return p;
      int dot = p.indexOf('.');
      if (dot < 0) throw new IllegalArgumentException(file + ": LoRA module '" + path + "' is not in the model");
      p = p.substring(dot + 1);
    }
  }

  private static void checkDim(JsonNode c, String field, int expected, Path file) {
    JsonNode v = c.get(field);
    if (v != null && v.asInt() != expected) {
      throw new IllegalArgumentException(file + ": \"" + field + "\" is " + v.asInt() + ", the model has " + expected);
    }
  }
}
