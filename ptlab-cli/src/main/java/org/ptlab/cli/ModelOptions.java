package org.ptlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.lab.models.MiniLm;
import org.ptlab.lab.models.WordPieceTokenizer;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.io.ModelFiles;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.data.Tokenizer;
import picocli.CommandLine.Option;

/** {@code --model PRESET|DIR [--set KEY=VALUE]… [--model-seed N]}: which base model a command runs on. */
final class ModelOptions {
  /** A model folder's tokenizer file (Hugging Face's tokenizer.json), copied there when a MiniLM is saved. */
  static final String TOKENIZER = "tokenizer.json";

  @Option(names = "--model", paramLabel = "NAME|DIR|FILE.onnx",
      description = "minilm (the pretrained all-MiniLM-L6-v2, with its WordPiece tokenizer; FILE.onnx for your own "
          + "copy of it), a preset (paper, bert, "
          + "gpt: random weights from --model-seed) or a folder with config.json and model.safetensors (from ptlab "
          + "export or tune --method full)")
  String model;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a config field of a preset, e.g. --set dModel=64 --set layers=2 (keys: see config.json)")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--model-seed", paramLabel = "N", defaultValue = "0",
      description = "seed of a preset's random weights and of a new task head (default: ${DEFAULT-VALUE})")
  long modelSeed;

  /** The configuration the model would have, before any head change. */
  TransformerConfig config() throws IOException {
    if (model == null) {
      throw new UserError("--model is required (minilm, a preset: " + String.join(", ", Presets.NAMES) + ", or a folder)");
    }
    if (isMiniLm() || isOnnxFile()) {
      return overrides.isEmpty() ? MiniLm.config() : ConfigJson.withOverrides(MiniLm.config(), overrides);
    }
    Path dir = Path.of(model);
    if (Files.isDirectory(dir)) {
      if (!overrides.isEmpty()) throw new UserError("--set applies to presets only; " + model + " is a saved model");
      return ModelFiles.readConfig(dir);
    }
    if (!Presets.NAMES.contains(model)) {
      throw new UserError("--model: '" + model + "' is neither minilm, a preset (" + String.join(", ", Presets.NAMES)
          + ") nor a folder");
    }
    return overrides.isEmpty() ? Presets.of(model) : ConfigJson.withOverrides(Presets.of(model), overrides);
  }

  /** The model with {@code config} (a head chosen for the task): saved weights, or a preset's random ones. */
  Transformer load(TransformerConfig config) throws IOException {
    Rng rng = Rng.derive(modelSeed, 0x6D6F64656CL);
    if (isMiniLm()) return MiniLm.load(config, rng);
    if (isOnnxFile()) return MiniLm.load(Path.of(model), config, rng);
    Path dir = Path.of(model);
    if (Files.isDirectory(dir)) return ModelFiles.load(dir, config, rng);
    return Transformer.create(config, rng);
  }

  /**
   * The model's tokenizer: MiniLM's WordPiece for minilm and for a saved model folder that carries a
   * {@value #TOKENIZER} (a fine-tuned MiniLM); null otherwise (the presets read token ids).
   */
  Tokenizer tokenizer() throws IOException {
    if (isMiniLm() || isOnnxFile()) return WordPieceTokenizer.minilm();
    Path file = model == null ? null : Path.of(model).resolve(TOKENIZER);
    if (file != null && Files.isRegularFile(file)) {
      try (var in = Files.newInputStream(file)) {
        return WordPieceTokenizer.fromJson(in, file.toString());
      }
    }
    return null;
  }

  /**
   * Writes the model's {@value #TOKENIZER} into {@code dir} (a saved model folder) when it has one, so that the
   * folder reads text as the model it came from did.
   */
  void copyTokenizerTo(Path dir) throws IOException {
    byte[] json = null;
    if (isMiniLm()) {
      try (var in = MiniLm.class.getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
        if (in != null) json = in.readAllBytes();
      }
    } else if (model != null && Files.isRegularFile(Path.of(model).resolve(TOKENIZER))) {
      json = Files.readAllBytes(Path.of(model).resolve(TOKENIZER));
    }
    if (json != null) org.ptlab.nn.io.AtomicFiles.write(dir.resolve(TOKENIZER), json);
  }

  /** Whether --model is an .onnx file: a user's own copy of all-MiniLM-L6-v2 (same shape and vocabulary). */
  boolean isOnnxFile() {
    return model != null && model.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
  }

  /** Whether --model names the pretrained MiniLM. */
  boolean isMiniLm() {
    return MiniLm.NAME.equals(model);
  }

  /** Provenance of the base model, recorded beside adapters. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("overrides", overrides);
    m.put("model_seed", modelSeed);
    return m;
  }
}
