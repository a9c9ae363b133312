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
 * Adapter folders in PEFT's layout: {@code adapter_config.json} (PEFT's current field set with its defaults,
 * PTLab-only values under {@code "ptlab"}) and {@code adapter_model.safetensors} (PEFT's keys for the task type and
 * method, see {@link PeftKeys}). A trained head goes into the same file as PEFT's {@code modules_to_save}. Several
 * methods on one model (LoRA + prompt) are saved as one sub-folder per method, as PEFT keeps one folder per adapter.
 * A head trained alone is not a PEFT adapter: it is saved as a model part ({@link #PART_CONFIG} + {@link #PART_WEIGHTS},
 * the head's tensors under the model's own names). Full fine-tuning saves the whole model ({@link ModelFiles}).
 */
public final class AdapterFiles {
  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";
  /**
   * A model part: some of the base model's own tensors, replacing the model's when loaded ({@code "module"}: which
   * module, e.g. classifier; provenance under "ptlab"). What {@code --method head} writes.
   */
  public static final String PART_CONFIG = "model_part.json";
  public static final String PART_WEIGHTS = "model_part.safetensors";
  /**
   * 2: prefix adapters record {@code ptlab.positions_after_prefix}; heads beside a prompt or prefix use PEFT's
   * {@code base_model.} keys. Format 1 files still load, with their old meaning.
   */
  public static final int FORMAT_VERSION = 2;
  /** Written when the caller names no base model (PEFT's field is never null in PTLab's files). */
  public static final String UNNAMED_BASE = "unnamed";

  private AdapterFiles() {}

  /** {@link #save(TunedModel, Path, String, ObjectNode)} with the base model named by provenance's base_model.model. */
  public static void save(TunedModel tuned, Path dir, ObjectNode provenance) throws IOException {
    String name = provenance == null ? null : provenance.path("base_model").path("model").asText(null);
    save(tuned, dir, name == null ? UNNAMED_BASE : name, provenance);
  }

  /**
   * Writes {@code tuned}'s adapters to {@code dir}; {@code baseModel} (a model folder or preset name) becomes PEFT's
   * {@code base_model_name_or_path}, {@code provenance} is copied into every config's "ptlab".
   *
   * @throws org.ptlab.io.NonFiniteValueException before anything is written, if a saved tensor is NaN or infinite
   */
  public static void save(TunedModel tuned, Path dir, String baseModel, ObjectNode provenance) throws IOException {
    if (tuned.trainsBaseModel()) {
      ModelFiles.save(tuned.model(), dir, Map.of("format", "pt"));
      return;
    }
    ModulesToSave head = (ModulesToSave) tuned.method(PeftMethod.HEAD);
    List<TuningMethod> peft = tuned.methods().stream().filter(m -> m.kind().isPeft()).toList();
    List<Folder> folders = new java.util.ArrayList<>();
    if (peft.isEmpty() && head != null) folders.add(modelPart(dir, head, tuned, baseModel, provenance));
    for (int i = 0; i < peft.size(); i++) {
      Path target = peft.size() == 1 ? dir : dir.resolve(peft.get(i).kind().cliName());
      folders.add(folder(target, peft.get(i), i == 0 ? head : null, tuned, baseModel, provenance));
    }
    // every folder is checked before the first is written, so a combined adapter is saved whole or not at all
    for (Folder f : folders) {
      FiniteValues.require(f.dir().resolve(f.weightsName()), f.tensors());
      FiniteValues.require(f.dir().resolve(f.configName()), f.config());
    }
    for (Folder f : folders) write(f);
  }

  /** One folder's contents, computed before anything is written. */
  private record Folder(Path dir, String configName, String weightsName, ObjectNode config, Map<String, Tensor> tensors) {}

  private static Folder folder(Path dir, TuningMethod method, ModulesToSave head, TunedModel tuned, String baseModel,
      ObjectNode provenance) {
    var mc = tuned.model().config();
    ObjectNode config = AdapterJson.object(); // PeftConfig's own fields first, as PEFT's dataclass declares them
    config.putNull("auto_mapping");
    config.put("base_model_name_or_path", baseModel);
    config.putNull("revision");
    config.put("task_type", PeftKeys.taskType(mc));
    config.put("inference_mode", true); // PEFT's save_pretrained writes true
    config.setAll(method.adapterConfig());
    Map<String, Tensor> tensors = new LinkedHashMap<>(method.adapterTensors());
    if (head != null) {
      var list = config.putArray("modules_to_save");
      PeftKeys.modulesToSave(head, mc).forEach(list::add);
      tensors.putAll(head.tensorsUnder(PeftKeys.headPrefix(method.kind())));
    }
    addPtlab(config, method.kind().cliName(), provenance);
    return new Folder(dir, CONFIG, WEIGHTS, config, tensors);
  }

  /** A head trained alone: its tensors under the model's names, and what it is under "module". */
  private static Folder modelPart(Path dir, ModulesToSave head, TunedModel tuned, String baseModel,
      ObjectNode provenance) {
    ObjectNode config = AdapterJson.object();
    config.put("module", head.module());
    config.put("base_model_name_or_path", baseModel);
    config.put("task_type", PeftKeys.taskType(tuned.model().config()));
    addPtlab(config, PeftMethod.HEAD.cliName(), provenance);
    return new Folder(dir, PART_CONFIG, PART_WEIGHTS, config, head.tensorsUnder(""));
  }

  private static void addPtlab(ObjectNode config, String method, ObjectNode provenance) {
    ObjectNode ptlab = config.has("ptlab") ? (ObjectNode) config.remove("ptlab") : AdapterJson.object();
    config.set("ptlab", ptlab); // last, after PEFT's fields
    ptlab.put("format_version", FORMAT_VERSION);
    ptlab.put("method", method);
    if (provenance != null) ptlab.setAll(provenance);
  }

  private static void write(Folder f) throws IOException {
    Files.createDirectories(f.dir());
    try (GradMode.Scope s = GradMode.noGrad()) {
      SafetensorsWriter.write(f.dir().resolve(f.weightsName()), f.tensors(), Map.of("format", "pt"));
    }
    AtomicFiles.write(f.dir().resolve(f.configName()), AdapterJson.MAPPER.writeValueAsString(f.config()) + "\n");
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
    Path weights = configFile.resolveSibling(configFile.getFileName().toString().equals(PART_CONFIG) ? PART_WEIGHTS : WEIGHTS);
    if (!Files.isRegularFile(weights)) return v.asInt(); // the reader names the missing file
    String module = kind.equals("CLASSIFY") ? "classifier" : "regressor";
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      String key = headKey(f, module);
      int[] shape = key != null ? f.entry(key).shape() : new int[] {v.asInt()}; // none: nothing to check
      int rows = shape.length == 0 ? 0 : shape[0];
      if (rows != v.asInt()) {
        throw new IllegalArgumentException(weights + ": tensor '" + key + "' has " + rows + " rows, but "
            + configFile.getFileName() + " gives \"ptlab\".\"head\".\"outputs\" " + v.asInt());
      }
    }
    return v.asInt();
  }

  /** The key of {@code module}'s weight in a weights file: PEFT's for either kind of method, or the model's own. */
  static String headKey(SafetensorsFile f, String module) {
    for (String prefix : new String[] {PeftKeys.TUNER, PeftKeys.PROMPT_LEARNING, ""}) {
      if (f.names().contains(prefix + module + ".weight")) return prefix + module + ".weight";
    }
    return null;
  }

  /**
   * The classes of the classifier saved beside {@code configFile} (rows of its {@code classifier.weight}, [C, d]),
   * or 0 when it holds none: an adapter without PTLab's {@code ptlab.head} (one from PEFT) sizes its head from this,
   * not from the evaluation data. A rank other than 2 is refused, naming the tensor.
   */
  public static int savedClassifierRows(Path configFile) throws IOException {
    boolean part = configFile.getFileName().toString().equals(PART_CONFIG);
    Path weights = configFile.resolveSibling(part ? PART_WEIGHTS : WEIGHTS);
    if (!Files.isRegularFile(weights)) return 0;
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      String key = headKey(f, "classifier");
      if (key == null) return 0;
      int[] shape = f.entry(key).shape();
      if (shape.length != 2 || shape[0] < 1) {
        throw new IllegalArgumentException(weights + ": tensor " + OneLine.quote(key) + " has shape "
            + java.util.Arrays.toString(shape) + ", a classifier weight is [classes, d]");
      }
      return shape[0];
    }
  }

  /** {@code dir} itself when it holds an adapter_config.json (or a model part), else its sub-folders that do. */
  private static List<Path> adapterFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--adapter: " + dir + " is not a folder");
    if (isFolder(dir)) return List.of(dir);
    try (Stream<Path> sub = Files.list(dir)) {
      List<Path> found = sub.filter(AdapterFiles::isFolder).sorted().toList();
      if (found.isEmpty()) throw new IllegalArgumentException("--adapter: " + dir + " has no " + CONFIG);
      return found;
    }
  }

  private static boolean isFolder(Path p) {
    return Files.isRegularFile(p.resolve(CONFIG)) || Files.isRegularFile(p.resolve(PART_CONFIG));
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
