package org.ptlab.io.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.FiniteValues;
import org.ptlab.io.OneLine;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * A model on disk: a folder with {@code config.json} ({@link TransformerConfig}) and {@code model.safetensors}
 * (every weight under its Hugging Face name, in the model's dtype), or a Hugging Face folder: BERT family
 * ({@link HfBert}) or GPT-2 ({@link HfGpt2}, {@link HfGpt2Weights}).
 */
public final class ModelFiles {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";

  private ModelFiles() {}

  /**
   * Writes the folder; each file lands atomically.
   *
   * @throws org.ptlab.io.NonFiniteValueException before anything is written, if a weight is NaN or infinite
   */
  public static void save(Transformer model, Path dir, Map<String, String> metadata) throws IOException {
    Map<String, Tensor> weights = model.parameters().all();
    FiniteValues.require(dir.resolve(WEIGHTS), weights);
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve(WEIGHTS), weights, metadata);
    AtomicFiles.write(dir.resolve(CONFIG), ConfigJson.write(model.config()) + "\n");
  }

  /**
   * Refuses, naming the reason, a config that {@link #saveHf} could not write: a decoder (pre-LN, causal) is
   * written as GPT-2, anything else as BERT. (The weights are checked when written: a GPT-2 head needs a zero bias.)
   */
  public static void checkHf(TransformerConfig c) {
    if (HfGpt2.isDecoder(c)) HfGpt2.writeConfig(c, true);
    else HfBert.writeConfig(c);
  }

  /**
   * Writes the folder as Hugging Face reads it: a decoder (pre-LN, causal) as GPT2LMHeadModel ({@link HfGpt2},
   * {@link HfGpt2Weights}: Conv1D layouts, fused c_attn, no lm_head tensor when it equals wte), anything else as
   * BertModel ({@link HfBert}); HF config fields, {@code model_type}, {@code architectures}. Refuses, naming the
   * reason, a model HF cannot express, before writing anything.
   */
  public static void saveHf(Transformer model, Path dir) throws IOException {
    TransformerConfig c = model.config();
    Map<String, Tensor> weights = model.parameters().all();
    String config;
    if (HfGpt2.isDecoder(c)) {
      HfGpt2.writeConfig(c, true); // the config's refusals come before the weights'
      boolean tied = HfGpt2Weights.isTied(weights);
      config = HfGpt2.writeConfig(c, tied);
      weights = HfGpt2Weights.write(weights, c, tied);
    } else {
      config = HfBert.writeConfig(c);
    }
    FiniteValues.require(dir.resolve(WEIGHTS), weights);
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve(WEIGHTS), weights, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(CONFIG), config + "\n");
  }

  static Map<String, Tensor> readWeights(Path file, org.ptlab.tensor.DType dtype) throws IOException {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.names()) weights.put(name, f.tensor(name, dtype));
    }
    return weights;
  }

  /** Whether {@code dir} looks like a saved model. */
  public static boolean isModelDir(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG));
  }

  /** Whether {@code dir}'s config.json names a Hugging Face {@code model_type} (an HF folder, {@link HfBert}). */
  public static boolean isHfDir(Path dir) throws IOException {
    Path file = dir.resolve(CONFIG);
    return Files.isRegularFile(file) && HfBert.modelType(Files.readString(file, StandardCharsets.UTF_8)) != null;
  }

  /** Reads the config of a saved model: PTLab's own config.json or a Hugging Face BERT or GPT-2 one. */
  public static TransformerConfig readConfig(Path dir) throws IOException {
    Path file = dir.resolve(CONFIG);
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(dir + ": no " + CONFIG + " (not a model folder)");
    try {
      String json = Files.readString(file, StandardCharsets.UTF_8);
      String type = HfBert.modelType(json);
      if (HfGpt2.MODEL_TYPE.equals(type)) return HfGpt2.readConfig(json, file.toString());
      if (type != null && !HfBert.MODEL_TYPE.equals(type)) {
        throw new IllegalArgumentException(file + ": model_type '" + type + "' is not supported (only "
            + HfBert.MODEL_TYPE + " and " + HfGpt2.MODEL_TYPE + ")");
      }
      if (type != null) return HfBert.readConfig(json, file.toString());
      return ConfigJson.read(json, file.toString());
    } catch (IllegalArgumentException e) { // the message quotes the file's keys and values: keep it one line
      throw new IllegalArgumentException(OneLine.of(e.getMessage()), e);
    }
  }

  /** Loads a saved model, checking every weight's name and shape against the config. */
  public static Transformer load(Path dir) throws IOException {
    return load(dir, readConfig(dir));
  }

  /** Loads the weights of {@code dir} into a model built from {@code config}, which must match them exactly. */
  public static Transformer load(Path dir, TransformerConfig config) throws IOException {
    return load(dir, config, null);
  }

  /**
   * Loads the weights of {@code dir} into a model built from {@code config}; with {@code headInit}, a head the file
   * lacks (or has in another shape) is replaced by a new one drawn from it.
   */
  public static Transformer load(Path dir, TransformerConfig config, org.ptlab.tensor.random.Rng headInit)
      throws IOException {
    Path file = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(dir + ": no " + WEIGHTS);
    Map<String, Tensor> weights;
    try {
      weights = hfWeights(dir, file, config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(OneLine.of(e.getMessage()), e);
    }
    try {
      return Transformer.withWeights(config, weights, file.toString(), headInit);
    } catch (IllegalArgumentException e) { // names a tensor of the file, which may hold a line break
      throw new IllegalArgumentException(OneLine.of(e.getMessage()), e);
    }
  }

  /** The weights of {@code file} under PTLab's names: as stored, or converted from an HF folder's layout. */
  private static Map<String, Tensor> hfWeights(Path dir, Path file, TransformerConfig config) throws IOException {
    Path cfg = dir.resolve(CONFIG);
    String json = Files.isRegularFile(cfg) ? Files.readString(cfg, StandardCharsets.UTF_8) : "{}";
    String type = HfBert.modelType(json);
    if (type == null) return readWeights(file, config.dtype());
    if (HfGpt2.MODEL_TYPE.equals(type)) return HfGpt2Weights.read(file, config, HfGpt2.tied(json, cfg.toString()));
    return HfBert.readWeights(file, config.dtype());
  }
}
