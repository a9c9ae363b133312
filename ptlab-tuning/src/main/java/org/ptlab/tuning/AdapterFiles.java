package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.FiniteValues;
import org.ptlab.io.OneLine;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;

/**
 * Adapter folders in PEFT's layout: {@code adapter_config.json} (PEFT's field names, PTLab-only values under
 * {@code "ptlab"}) and {@code adapter_model.safetensors} (PEFT's keys). A trained head goes into the same file as
 * PEFT's {@code modules_to_save} ({@code base_model.model.classifier.weight}). Several methods on one model (LoRA +
 * prompt) are saved as one sub-folder per method, as PEFT keeps one folder per adapter. Full fine-tuning saves the
 * whole model ({@link ModelFiles}).
 */
public final class AdapterFiles {
  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";
  public static final int FORMAT_VERSION = 1;

  private AdapterFiles() {}

  /**
   * Writes {@code tuned}'s adapters to {@code dir}; {@code provenance} is copied into every config's "ptlab".
   *
   * @throws org.ptlab.io.NonFiniteValueException before anything is written, if a saved tensor is NaN or infinite
   */
  public static void save(TunedModel tuned, Path dir, ObjectNode provenance) throws IOException {
    if (tuned.trainsBaseModel()) {
      ModelFiles.save(tuned.model(), dir, Map.of("format", "pt"));
      return;
    }
    ModulesToSave head = (ModulesToSave) tuned.method(PeftMethod.HEAD);
    List<TuningMethod> peft = tuned.methods().stream().filter(m -> m.kind().isPeft()).toList();
    List<Folder> folders = new java.util.ArrayList<>();
    if (peft.isEmpty()) folders.add(folder(dir, null, head, tuned, provenance)); // head-only baseline
    for (int i = 0; i < peft.size(); i++) {
      Path target = peft.size() == 1 ? dir : dir.resolve(peft.get(i).kind().cliName());
      folders.add(folder(target, peft.get(i), i == 0 ? head : null, tuned, provenance));
    }
    // every folder is checked before the first is written, so a combined adapter is saved whole or not at all
    for (Folder f : folders) {
      FiniteValues.require(f.dir().resolve(WEIGHTS), f.tensors());
      FiniteValues.require(f.dir().resolve(CONFIG), f.config());
    }
    for (Folder f : folders) write(f);
  }

  /** One adapter folder's contents, computed before anything is written. */
  private record Folder(Path dir, ObjectNode config, Map<String, Tensor> tensors) {}

  private static Folder folder(Path dir, TuningMethod method, ModulesToSave head, TunedModel tuned,
      ObjectNode provenance) {
    ObjectNode config = method != null ? method.adapterConfig() : AdapterJson.object();
    if (method == null) config.putNull("peft_type");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    if (method != null) tensors.putAll(method.adapterTensors());
    if (head != null) {
      config.putArray("modules_to_save").add(head.module());
      tensors.putAll(head.trainable());
    } else if (!config.has("modules_to_save")) {
      config.putNull("modules_to_save");
    }
    config.put("task_type", taskType(tuned.model()));
    config.put("inference_mode", true);
    config.putNull("base_model_name_or_path");
    config.putNull("revision");
    ObjectNode ptlab = config.has("ptlab") ? (ObjectNode) config.get("ptlab") : config.putObject("ptlab");
    ptlab.put("format_version", FORMAT_VERSION);
    ptlab.put("method", method == null ? "head" : method.kind().cliName());
    if (provenance != null) ptlab.setAll(provenance);
    return new Folder(dir, config, tensors);
  }

  private static void write(Folder f) throws IOException {
    Files.createDirectories(f.dir());
    try (GradMode.Scope s = GradMode.noGrad()) {
      SafetensorsWriter.write(f.dir().resolve(WEIGHTS), f.tensors(), Map.of("format", "pt"));
    }
    AtomicFiles.write(f.dir().resolve(CONFIG), AdapterJson.MAPPER.writeValueAsString(f.config()) + "\n");
  }

  /** PEFT's task_type for the model's head. */
  private static String taskType(Transformer model) {
    return switch (model.config().head()) {
      case CLASSIFY -> "SEQ_CLS";
      case REGRESS -> "TOKEN_CLS";
      case LM -> "CAUSAL_LM";
      case NONE -> "FEATURE_EXTRACTION";
    };
  }

  /**
   * Attaches the adapters saved in {@code dir} (by PTLab or by PEFT) to {@code model}. Every tensor must be used
   * and fit the model; anything else is a one-line error naming the file and key.
   */
  public static TunedModel load(Path dir, Transformer model) throws IOException {
    List<Path> folders = adapterFolders(dir);
    List<TuningMethod> methods = new ArrayList<>();
    Map<PeftMethod, Path> seen = new java.util.EnumMap<>(PeftMethod.class);
    for (Path folder : folders) {
      for (TuningMethod m : AdapterReader.read(folder, model)) {
        Path other = seen.put(m.kind(), folder);
        if (other != null) { // two LoRAs would both patch the same modules: not what either file means
          throw new IllegalArgumentException(folder + ": a second " + m.kind().cliName() + " adapter (the first is in "
              + other + "); PTLab applies one adapter per method");
        }
        methods.add(m);
      }
    }
    return TunedModel.of(model, methods.toArray(TuningMethod[]::new));
  }

  /**
   * The head size of an adapter's {@code "ptlab": {"head": …}} ({@code outputs}: classes or output width), checked
   * against the head tensor of the weights file beside {@code configFile}, so that eval never builds a model with a
   * head the file does not have (a config asking for 10^8 outputs would otherwise allocate them first).
   */
  public static int headOutputs(Path configFile, JsonNode head) throws IOException {
    JsonNode v = head.get("outputs");
    String kind = head.path("kind").asText();
    if (!kind.equals("CLASSIFY") && !kind.equals("REGRESS")) return v == null ? 0 : v.asInt();
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      throw new IllegalArgumentException(configFile + ": \"ptlab\".\"head\".\"outputs\" must be a positive integer");
    }
    Path weights = configFile.resolveSibling(WEIGHTS);
    if (!Files.isRegularFile(weights)) return v.asInt(); // the reader names the missing file
    String key = "base_model.model." + (kind.equals("CLASSIFY") ? "classifier" : "regressor") + ".weight";
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      int[] shape = f.names().contains(key) ? f.entry(key).shape() : new int[] {v.asInt()}; // none: nothing to check
      int rows = shape.length == 0 ? 0 : shape[0];
      if (rows != v.asInt()) {
        throw new IllegalArgumentException(weights + ": tensor '" + key + "' has " + rows + " rows, but "
            + configFile.getFileName() + " gives \"ptlab\".\"head\".\"outputs\" " + v.asInt());
      }
    }
    return v.asInt();
  }

  /** {@code dir} itself when it holds an adapter_config.json, else its sub-folders that do. */
  private static List<Path> adapterFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--adapter: " + dir + " is not a folder");
    if (Files.isRegularFile(dir.resolve(CONFIG))) return List.of(dir);
    try (Stream<Path> sub = Files.list(dir)) {
      List<Path> found = sub.filter(p -> Files.isRegularFile(p.resolve(CONFIG))).sorted().toList();
      if (found.isEmpty()) throw new IllegalArgumentException("--adapter: " + dir + " has no " + CONFIG);
      return found;
    }
  }

  /** Copies {@code file}'s tensors into {@code dest} (same keys, shapes checked); returns the keys used. */
  static Set<String> copyInto(SafetensorsFile f, Map<String, Tensor> dest, String source) throws IOException {
    Set<String> used = new HashSet<>();
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Map.Entry<String, Tensor> e : dest.entrySet()) {
        if (!f.names().contains(e.getKey())) {
          throw new IllegalArgumentException(source + ": missing tensor " + OneLine.quote(e.getKey()));
        }
        e.getValue().copyFrom(f.tensor(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
        used.add(e.getKey());
      }
    }
    return used;
  }

}
