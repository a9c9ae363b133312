package org.ptlab.tuning.lora;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.PeftKeys;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.SavedAdapter;
import org.ptlab.tuning.TuningMethod;

/**
 * LoRA on the target modules of a frozen model. Adapter keys follow PEFT:
 * {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code ….lora_B.weight} [out, r].
 * {@link #merge()} folds scaling·B·A into the frozen weights (the update then costs nothing);
 * {@link #unmerge()} takes it out again.
 */
public final class Lora implements TuningMethod {
  private final LoraConfig config;
  private final Map<String, LoraLayer> layers = new LinkedHashMap<>();
  private final Map<String, Tensor> trainable = new LinkedHashMap<>();
  private final String backbone; // PEFT's path of the encoder inside the task model ("bert." or "")
  private final boolean gpt2Names; // written in GPT2LMHeadModel's names (Gpt2Names), else BERT's
  private final int modelLayers;

  private Lora(LoraConfig config, String backbone, boolean gpt2Names, int modelLayers) {
    this.config = config;
    this.backbone = backbone;
    this.gpt2Names = gpt2Names;
    this.modelLayers = modelLayers;
  }

  /**
   * LoRA on the modules of {@code model} that {@code config.targetModules()} selects; A drawn from rng. On a model
   * that export --format hf writes as GPT-2 it is saved in GPT-2's names ({@link Gpt2Names}).
   */
  public static Lora create(LoraConfig config, Transformer model, Rng rng) {
    return create(config, model, rng, Gpt2Names.applies(model.config()));
  }

  /** As {@link #create(LoraConfig, Transformer, Rng)}, saved in GPT-2's names or BERT's as a read file had them. */
  static Lora create(LoraConfig config, Transformer model, Rng rng, boolean gpt2Names) {
    Lora lora = new Lora(config, PeftKeys.backbone(model.config()), gpt2Names, model.config().layers());
    for (String module : TargetModules.resolve(config.targetModules(), linearModules(model))) {
      LoraLayer layer = new LoraLayer(module, model.parameters().get(module + ".weight"), config, rng);
      lora.layers.put(module, layer);
      lora.trainable.put(key(module, "lora_A"), layer.a);
      lora.trainable.put(key(module, "lora_B"), layer.b);
    }
    return lora;
  }

  /** LoRA of a saved LORA adapter (values copied in by the caller); the registry's reader. See {@link LoraReader}. */
  public static SavedAdapter.Loaded read(SavedAdapter a) {
    return LoraReader.read(a);
  }

  /** Every linear module of the encoder (those with a 2-D {@code .weight}, embeddings and head excluded). */
  static List<String> linearModules(Transformer model) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : model.parameters().all().entrySet()) {
      String n = e.getKey();
      if (n.startsWith("encoder.") && n.endsWith(".weight") && e.getValue().rank() == 2) {
        out.add(n.substring(0, n.length() - ".weight".length()));
      }
    }
    return out;
  }

  /** PEFT's key for a LoRA matrix of {@code module}. */
  public static String key(String module, String matrix) {
    return "base_model.model." + module + "." + matrix + ".weight";
  }

  LoraLayer layer(String module) {
    return layers.get(module);
  }

  /** Whether the adapter is saved in GPT2LMHeadModel's module names. */
  public boolean gpt2Names() {
    return gpt2Names;
  }

  /** The modules LoRA changes, in model order. */
  public List<String> modules() {
    return List.copyOf(layers.keySet());
  }

  public LoraConfig config() {
    return config;
  }

  /** Folds the updates into the frozen weights. */
  public void merge() {
    layers.values().forEach(l -> l.merge(true));
  }

  /** Takes merged updates back out of the frozen weights. */
  public void unmerge() {
    layers.values().forEach(l -> l.merge(false));
  }

  @Override
  public void restoreBase() {
    unmerge();
  }

  @Override
  public PeftMethod kind() {
    return PeftMethod.LORA;
  }

  @Override
  public ForwardHooks hooks() {
    return new ForwardHooks() {
      @Override
      public Tensor linear(String module, Tensor x, Tensor y, ForwardMode pass) {
        LoraLayer layer = layers.get(module);
        return layer == null ? y : layer.apply(x, y, pass);
      }
    };
  }

  @Override
  public Map<String, Tensor> trainable() {
    return trainable;
  }

  /**
   * The LoRA matrices under the keys PEFT would write for this task: {@code base_model.model.} then the backbone's
   * attribute ({@code bert.} in a task model), then the module. {@link #trainable()} keeps the bare module names,
   * which checkpoints use.
   */
  @Override
  public Map<String, Tensor> adapterTensors() {
    if (gpt2Names) return Gpt2Names.tensors(this);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String module : layers.keySet()) {
      out.put(PeftKeys.TUNER + backbone + module + ".lora_A.weight", trainable.get(key(module, "lora_A")));
      out.put(PeftKeys.TUNER + backbone + module + ".lora_B.weight", trainable.get(key(module, "lora_B")));
    }
    return out;
  }

  /** PEFT's LoraConfig fields, each at PEFT's default unless PTLab trained otherwise (runtime_config is not saved). */
  @Override
  public ObjectNode adapterConfig() {
    ObjectNode c = AdapterJson.object();
    c.put("peft_type", PeftMethod.LORA.peftType());
    c.put("r", config.r());
    ArrayNode targets = c.putArray("target_modules");
    for (String m : modules()) targets.add(m);
    c.putNull("exclude_modules");
    putAlpha(c, "lora_alpha", config.alpha());
    c.put("lora_dropout", config.dropout());
    c.put("fan_in_fan_out", false);
    c.put("bias", "none");
    c.put("use_rslora", config.rsLora());
    c.putNull("modules_to_save");
    c.put("init_lora_weights", true);
    c.putNull("layers_to_transform");
    c.putNull("layers_pattern");
    c.putObject("rank_pattern");
    c.putObject("alpha_pattern");
    c.putNull("megatron_config");
    c.put("megatron_core", "megatron.core");
    c.putNull("trainable_token_indices");
    c.putObject("loftq_config");
    for (String none : new String[] {"eva_config", "corda_config", "lora_ga_config"}) c.putNull(none);
    c.put("use_dora", false);
    c.putNull("velora_config");
    c.putNull("alora_invocation_tokens");
    c.put("use_qalora", false);
    c.put("qalora_group_size", 16);
    c.putNull("monteclora_config");
    c.putNull("layer_replication");
    c.put("lora_bias", false);
    c.putNull("target_parameters");
    for (String none : new String[] {"use_bdlora", "arrow_config", "kasa_config"}) c.putNull(none);
    c.put("ensure_weight_tying", false);
    ObjectNode ptlab = c.putObject("ptlab");
    ArrayNode asked = ptlab.putArray("targets_requested");
    config.targetModules().forEach(asked::add);
    if (gpt2Names) Gpt2Names.config(this, c, modelLayers);
    return c;
  }

  /** PEFT's alpha is an int: 16, not 16.0, when it is whole. */
  static void putAlpha(ObjectNode node, String field, double alpha) {
    if (alpha == Math.rint(alpha) && Math.abs(alpha) < 1e15) node.put(field, (long) alpha);
    else node.put(field, alpha);
  }
}
