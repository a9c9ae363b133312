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
 * read by that method's reader in the registry ({@link PeftMethod#read}), then the head of modules_to_save.
 */
final class AdapterReader {
  private AdapterReader() {}

  static List<TuningMethod> read(Path folder, Transformer model) throws IOException {
    Path configFile = folder.resolve(AdapterFiles.CONFIG);
    Path weights = folder.resolve(AdapterFiles.WEIGHTS);
    if (!Files.isRegularFile(weights)) throw new IllegalArgumentException(folder + ": no " + AdapterFiles.WEIGHTS);
    JsonNode config;
    try {
      config = AdapterJson.MAPPER.reader() // two "r" keys: which one did the writer mean?
          .withFeatures(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .forType(JsonNode.class).readValue(configFile.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(configFile + ": malformed JSON (" + OneLine.of(e.getOriginalMessage()) + ")");
    }
    if (config == null || !config.isObject()) throw new IllegalArgumentException(configFile + ": not a JSON object");
    checkFormatVersion(config, configFile);
    List<TuningMethod> methods = new ArrayList<>();
    Set<String> used = new HashSet<>();
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      JsonNode type = config.get("peft_type");
      if (type != null && !type.isNull()) {
        PeftMethod kind = PeftMethod.fromPeftType(type.asText(), configFile.toString());
        SavedAdapter.Loaded loaded = kind.read(new SavedAdapter(config, configFile, f, model));
        used.addAll(AdapterFiles.copyInto(f, loaded.tensorsByFileKey(), weights.toString()));
        methods.add(loaded.method());
      }
      JsonNode save = config.get("modules_to_save");
      if (save != null && save.isArray() && save.size() > 0) {
        ModulesToSave head = ModulesToSave.ofHead(model);
        if (head == null || save.size() != 1 || !save.get(0).asText().equals(head.module())) {
          throw new IllegalArgumentException(configFile + ": modules_to_save " + OneLine.of(save.toString()) + " does not match the model's "
              + "head (" + (head == null ? "none" : head.module()) + ")");
        }
        used.addAll(AdapterFiles.copyInto(f, head.trainable(), weights.toString()));
        methods.add(head);
      }
      for (String name : f.names()) {
        if (!used.contains(name)) throw new IllegalArgumentException(weights + ": unexpected tensor " + OneLine.quote(name));
      }
    }
    return methods;
  }

  /** A file of a later PTLab (format_version under "ptlab") may mean what this one would misread; PEFT's has none. */
  private static void checkFormatVersion(JsonNode config, Path configFile) {
    JsonNode v = config.path("ptlab").get("format_version");
    if (v != null && !(SavedAdapter.isInt(v) && v.asInt() == AdapterFiles.FORMAT_VERSION)) {
      throw new IllegalArgumentException(configFile + ": \"ptlab.format_version\" is " + OneLine.quote(v.toString())
          + ", this PTLab reads " + AdapterFiles.FORMAT_VERSION);
    }
  }
}
