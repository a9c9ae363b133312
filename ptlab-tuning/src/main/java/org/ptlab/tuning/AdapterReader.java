package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ptlab.io.OneLine;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;

/**
 * Reads one adapter folder (see {@link AdapterFiles}) into methods on a model: the method its peft_type names,
 * read by that method's reader in the registry ({@link PeftMethod#read}), then the head of modules_to_save; or a
 * model part (a head trained alone).
 */
final class AdapterReader {
  private AdapterReader() {}

  static List<TuningMethod> read(Path folder, Transformer model) throws IOException {
    if (!Files.isRegularFile(folder.resolve(AdapterFiles.CONFIG))) return List.of(readPart(folder, model));
    Path configFile = folder.resolve(AdapterFiles.CONFIG);
    Path weights = folder.resolve(AdapterFiles.WEIGHTS);
    if (!Files.isRegularFile(weights)) throw new IllegalArgumentException(folder + ": no " + AdapterFiles.WEIGHTS);
    JsonNode config = readJson(configFile);
    checkFormatVersion(config, configFile);
    List<TuningMethod> methods = new ArrayList<>();
    Set<String> used = new HashSet<>();
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      JsonNode type = config.get("peft_type");
      PeftMethod kind = null;
      if (type != null && !type.isNull()) {
        kind = PeftMethod.fromPeftType(type.asText(), configFile.toString());
        SavedAdapter.Loaded loaded = kind.read(new SavedAdapter(config, configFile, f, model));
        used.addAll(AdapterFiles.copyInto(f, loaded.tensorsByFileKey(), weights.toString()));
        methods.add(loaded.method());
      }
      JsonNode save = config.get("modules_to_save");
      if (save != null && save.isArray() && save.size() > 0) {
        ModulesToSave head = ModulesToSave.ofHead(model);
        if (head == null || !listed(save, head.module())) {
          throw new IllegalArgumentException(configFile + ": modules_to_save " + OneLine.of(save.toString())
              + " does not name the model's head (" + (head == null ? "none" : head.module()) + ")");
        }
        used.addAll(AdapterFiles.copyInto(f, head.tensorsUnder(headPrefix(f, head, kind)), weights.toString()));
        methods.add(head);
      }
      for (String name : f.names()) {
        if (!used.contains(name)) throw new IllegalArgumentException(weights + ": unexpected tensor " + OneLine.quote(name));
      }
    }
    return methods;
  }

  /**
   * Where the head's tensors are: PEFT's prefix for this method ({@code base_model.} beside a prompt or prefix,
   * {@code base_model.model.} beside LoRA), else the other one (PTLab before format 2 wrote {@code base_model.model.}
   * beside every method, and with no method at all).
   */
  private static String headPrefix(SafetensorsFile f, ModulesToSave head, PeftMethod kind) {
    String peft = kind == null ? PeftKeys.TUNER : PeftKeys.headPrefix(kind);
    if (f.names().contains(peft + head.module() + ".weight")) return peft;
    return peft.equals(PeftKeys.TUNER) ? PeftKeys.PROMPT_LEARNING : PeftKeys.TUNER;
  }

  /** Whether {@code list} names {@code module} (PEFT's SEQ_CLS lists ["classifier", "score"]). */
  private static boolean listed(JsonNode list, String module) {
    for (JsonNode n : list) if (n.isTextual() && n.asText().equals(module)) return true;
    return false;
  }

  /** A model part ({@link AdapterFiles#PART_CONFIG}): the model's own head tensors, replacing its head. */
  private static TuningMethod readPart(Path folder, Transformer model) throws IOException {
    Path configFile = folder.resolve(AdapterFiles.PART_CONFIG);
    Path weights = folder.resolve(AdapterFiles.PART_WEIGHTS);
    if (!Files.isRegularFile(weights)) throw new IllegalArgumentException(folder + ": no " + AdapterFiles.PART_WEIGHTS);
    JsonNode config = readJson(configFile);
    checkFormatVersion(config, configFile);
    ModulesToSave head = ModulesToSave.ofHead(model);
    JsonNode module = config.get("module");
    if (head == null || module == null || !module.isTextual() || !module.asText().equals(head.module())) {
      throw new IllegalArgumentException(configFile + ": \"module\" " + OneLine.of(String.valueOf(module))
          + " is not the model's head (" + (head == null ? "none" : head.module()) + ")");
    }
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      Set<String> used = AdapterFiles.copyInto(f, head.tensorsUnder(""), weights.toString());
      for (String name : f.names()) {
        if (!used.contains(name)) throw new IllegalArgumentException(weights + ": unexpected tensor " + OneLine.quote(name));
      }
    }
    return head;
  }

  private static JsonNode readJson(Path configFile) throws IOException {
    JsonNode config;
    try {
      config = AdapterJson.MAPPER.reader() // two "r" keys: which one did the writer mean?
          .withFeatures(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .forType(JsonNode.class).readValue(configFile.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(configFile + ": malformed JSON (" + OneLine.of(e.getOriginalMessage()) + ")");
    }
    if (config == null || !config.isObject()) throw new IllegalArgumentException(configFile + ": not a JSON object");
    return config;
  }

  /** A file of a later PTLab (format_version under "ptlab") may mean what this one would misread; PEFT's has none. */
  private static void checkFormatVersion(JsonNode config, Path configFile) {
    JsonNode v = config.path("ptlab").get("format_version");
    if (v != null && !(SavedAdapter.isInt(v) && v.asInt() >= 1 && v.asInt() <= AdapterFiles.FORMAT_VERSION)) {
      throw new IllegalArgumentException(configFile + ": \"ptlab.format_version\" is " + OneLine.quote(v.toString())
          + ", this PTLab reads 1 to " + AdapterFiles.FORMAT_VERSION);
    }
  }
}
