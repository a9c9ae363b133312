package org.ptlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.io.model.ModelSource;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;
import picocli.CommandLine.Option;

/**
 * {@code --model NAME|DIR|FILE.onnx [--set KEY=VALUE]… [--model-seed N]}: which base model a command runs on. Only
 * parsing lives here; what a name means is {@link ModelSource}'s.
 */
final class ModelOptions implements HelpLayout.Section {
  @Option(names = "--model", paramLabel = "NAME|DIR|FILE.onnx",
      description = "minilm (the pretrained all-MiniLM-L6-v2, with its WordPiece tokenizer; FILE.onnx for your own "
          + "copy of it), a preset (paper, bert, "
          + "gpt: random weights from --model-seed) or a folder with config.json and model.safetensors (from ptlab "
          + "export or tune --method full)")
  String model;

  // split only at a comma that starts another KEY=: a value may itself hold commas (a JSON list such as "blocks")
  @Option(names = "--set", paramLabel = "KEY=VALUE", split = ",(?=\\s*[A-Za-z_][A-Za-z0-9_]*=)", splitSynopsisLabel = ",",
      description = "override a config field of a preset, e.g. --set dModel=64,layers=2 or --set dModel=64 --set "
          + "layers=2 (keys: see config.json)")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--model-seed", paramLabel = "N", defaultValue = "0",
      description = "seed of a preset's random weights and of a new task head (default: ${DEFAULT-VALUE})")
  long modelSeed;

  @Override
  public String heading() {
    return "Model";
  }

  /** What --model names (bad names and misplaced --set are one-line errors, exit 2). */
  ModelSource source() {
    return ModelSource.of(model, overrides);
  }

  /** The configuration the model would have, before any head change. */
  TransformerConfig config() throws IOException {
    return source().config();
  }

  /** The model with {@code config} (a head chosen for the task): saved weights, or a preset's random ones. */
  Transformer load(TransformerConfig config) throws IOException {
    return source().load(config, Rng.derive(modelSeed, 0x6D6F64656CL));
  }

  /** The model's tokenizer, or null when it reads token ids (see {@link ModelSource#tokenizer()}). */
  Tokenizer tokenizer() throws IOException {
    return model == null ? null : source().tokenizer();
  }

  /** Writes the model's tokenizer.json into a saved model folder when it has one. */
  void copyTokenizerTo(Path dir) throws IOException {
    source().copyTokenizerTo(dir);
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
