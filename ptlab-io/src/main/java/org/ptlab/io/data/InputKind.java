package org.ptlab.io.data;

/** What a model reads from an {@link Example}. */
public enum InputKind {
  /** Token ids, for models with a token embedding ({@code "tokens"} or tokenized {@code "text"} lines). */
  TOKENS,
  /** Continuous vectors [m, d], for models without one, such as the papers' one-layer toy transformer. */
  VECTORS
}
