package org.ptlab.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.tensor.Tensor;

/**
 * One parameter-efficient method attached to a frozen {@code Transformer}: what it trains, how it changes the
 * forward pass ({@link ForwardHooks}), and what goes into its adapter files. Methods compose in a
 * {@link TunedModel} (e.g. LoRA + a soft prompt). Instances are made through the registry, {@link PeftMethod}.
 */
public interface TuningMethod {
  /** Which registered method this is (its name, PEFT type and reader live in the registry). */
  PeftMethod kind();

  /** How the method changes the model's forward pass. */
  ForwardHooks hooks();

  /**
   * The tensors the optimizer updates, under the names its checkpoint uses (PEFT's adapter keys where they
   * exist). Live: changing them changes the model.
   */
  Map<String, Tensor> trainable();

  /**
   * The tensors of {@code adapter_model.safetensors} under PEFT's keys. Usually {@link #trainable()}; prefix tuning
   * with a projection saves the projected prefix, as PEFT does.
   */
  default Map<String, Tensor> adapterTensors() {
    return trainable();
  }

  /** PEFT's fields for {@code adapter_config.json} (peft_type, sizes, …); PTLab-only values go under "ptlab". */
  ObjectNode adapterConfig();

  /** Called before every forward pass (a method may cache per-pass values, e.g. a projected prefix). */
  default void beginPass(ForwardMode pass) {}

  /** Called after every forward pass: drop what {@link #beginPass} cached, so later uses see the current weights. */
  default void endPass() {}

  /**
   * Called before a pass with the adapters disabled: undo whatever the method changed in the base model's own
   * weights (a merged LoRA unmerges), so the base model runs as it was.
   */
  default void restoreBase() {}
}
