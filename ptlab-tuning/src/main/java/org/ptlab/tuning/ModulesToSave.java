package org.ptlab.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;

/**
 * A trainable copy of the task head (PEFT's {@code modules_to_save}): the original stays frozen, so disabling the
 * adapters gives back the base model exactly. Used on its own as the head-only baseline ({@link PeftMethod#HEAD}) and
 * beside prompt, prefix and LoRA when the task needs a head. Keys in an adapter file: PEFT's for the method
 * ({@link PeftKeys#headPrefix}: {@code base_model.classifier.weight} beside a prompt or prefix,
 * {@code base_model.model.classifier.weight} beside LoRA); alone, the model's own names in a model-part file.
 */
public final class ModulesToSave implements TuningMethod {
  private final String module;
  private final Tensor weight; // [out, d]
  private final Tensor bias; // [out] or null
  private final Map<String, Tensor> trainable = new LinkedHashMap<>();

  private ModulesToSave(String module, Tensor weight, Tensor bias) {
    this.module = module;
    this.weight = weight;
    this.bias = bias;
    trainable.put(key("weight"), weight);
    if (bias != null) trainable.put(key("bias"), bias);
  }

  /** A copy of {@code model}'s head (classifier, regressor or lm_head), or null when the model has none. */
  public static ModulesToSave ofHead(Transformer model) {
    String module = switch (model.config().head()) {
      case NONE -> null;
      case CLASSIFY -> "classifier";
      case REGRESS -> "regressor";
      case LM -> "lm_head";
    };
    if (module == null) return null;
    var params = model.parameters();
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor w = params.get(module + ".weight").copy().requiresGrad(true).named(module + ".weight");
      Tensor b = params.has(module + ".bias") ? params.get(module + ".bias").copy().requiresGrad(true).named(module + ".bias") : null;
      return new ModulesToSave(module, w, b);
    }
  }

  /** {@link #ofHead}, or a one-line error when the model has no head (the head-only baseline needs one). */
  public static ModulesToSave requireHead(Transformer model) {
    ModulesToSave head = ofHead(model);
    if (head == null) throw new IllegalArgumentException("--method head: the model has no task head for this data");
    return head;
  }

  /** The Hugging Face module name of the head (classifier, regressor, lm_head). */
  public String module() {
    return module;
  }

  private String key(String leaf) {
    return PeftKeys.TUNER + module + "." + leaf;
  }

  /**
   * The head's tensors under {@code prefix} + the module's own names ({@code prefix} "" gives the model's names,
   * {@code classifier.weight}). {@link #trainable()} keeps {@code base_model.model.}, the names checkpoints use.
   */
  public Map<String, Tensor> tensorsUnder(String prefix) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(prefix + module + ".weight", weight);
    if (bias != null) out.put(prefix + module + ".bias", bias);
    return out;
  }

  @Override
  public PeftMethod kind() {
    return PeftMethod.HEAD;
  }

  @Override
  public ForwardHooks hooks() {
    return new ForwardHooks() {
      @Override
      public Tensor linear(String name, Tensor x, Tensor y, ForwardMode pass) {
        if (!name.equals(module)) return y;
        Tensor out = x.matmul(weight, false, true); // the copy replaces the frozen head  [.., out]
        return bias == null ? out : out.add(bias);
      }
    };
  }

  @Override
  public Map<String, Tensor> trainable() {
    return trainable;
  }

  @Override
  public ObjectNode adapterConfig() {
    ObjectNode c = AdapterJson.object();
    c.putArray("modules_to_save").add(module);
    return c;
  }
}
