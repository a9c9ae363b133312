package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/**
 * The three places a tuning method may change a frozen model, and nothing else: a soft prompt prepended to the
 * input embeddings, extra keys and values at every layer (prefix tuning, which may also start the input's positions
 * after it), and an update added to any linear module's output (LoRA). The model owns this interface; methods in {@code ptlab-tuning} implement it, and several
 * compose with {@link #compose}.
 */
public interface ForwardHooks {
  /** The frozen model, unchanged. */
  ForwardHooks NONE = new ForwardHooks() {};

  /** A soft prompt P [m_p, d] to place before the input embeddings (or after the first token), or null. */
  default Tensor prompt() {
    return null;
  }

  /** Where the prompt goes: 0 = before everything (PEFT's convention), 1 = right after the first token ([CLS]). */
  default int promptPosition() {
    return 0;
  }

  /**
   * The position id of the first input row: 0, or m_p when a prefix's keys and values stand for m_p earlier tokens
   * (Hugging Face reads a prefix as {@code past_key_values}, so the input's positions start after it; PEFT's prefix
   * tuning relies on that). Only position embeddings read it.
   */
  default int positionOffset() {
    return 0;
  }

  /**
   * Extra keys and values for block {@code layer}, as {@code {K, V}} each [m_p, h·s] (already projected, shared by
   * the batch), or null.
   */
  default Tensor[] prefix(int layer) {
    return null;
  }

  /**
   * The output of linear module {@code module} (a Hugging Face name such as
   * {@code encoder.layer.0.attention.self.query}) for input x: returns y, or y plus an update.
   */
  default Tensor linear(String module, Tensor x, Tensor y, ForwardMode pass) {
    return y;
  }

  /** All hooks of {@code parts}: at most one may give a prompt and one a prefix; linear updates add up. */
  static ForwardHooks compose(ForwardHooks... parts) {
    return new ComposedHooks(parts);
  }
}
