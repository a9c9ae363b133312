package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/** Several methods on one model (e.g. LoRA + a soft prompt); see {@link ForwardHooks#compose}. */
final class ComposedHooks implements ForwardHooks {
  private final ForwardHooks[] parts;
  private final ForwardHooks promptSource;

  ComposedHooks(ForwardHooks[] parts) {
    this.parts = parts.clone();
    ForwardHooks withPrompt = null;
    for (ForwardHooks h : parts) {
      if (h.prompt() != null) {
        if (withPrompt != null) throw new IllegalArgumentException("two methods both prepend a soft prompt");
        withPrompt = h;
      }
    }
    this.promptSource = withPrompt;
  }

  @Override
  public Tensor prompt() {
    return promptSource == null ? null : promptSource.prompt();
  }

  @Override
  public int promptPosition() {
    return promptSource == null ? 0 : promptSource.promptPosition();
  }

  /** The prefix's offset: at most one part adds a prefix, so at most one part shifts positions. */
  @Override
  public int positionOffset() {
    int offset = 0;
    for (ForwardHooks h : parts) offset = Math.max(offset, h.positionOffset());
    return offset;
  }

  @Override
  public Tensor[] prefix(int layer) {
    Tensor[] found = null;
    for (ForwardHooks h : parts) {
      Tensor[] kv = h.prefix(layer);
      if (kv != null) {
        if (found != null) throw new IllegalArgumentException("two methods both add a prefix at layer " + layer);
        found = kv;
      }
    }
    return found;
  }

  @Override
  public Tensor linear(String module, Tensor x, Tensor y, ForwardMode pass) {
    for (ForwardHooks h : parts) y = h.linear(module, x, y, pass);
    return y;
  }
}
