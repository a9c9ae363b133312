package org.ptlab.tuning.prompt;

/** How a soft prompt starts (Lester et al. 2021 §3.2, PEFT's {@code prompt_tuning_init}). */
public enum PromptInit {
  /** Uniform in [−scale, scale]. */
  RANDOM,
  /** Embeddings of a given text, repeated or cut to the prompt length. */
  TEXT,
  /** Embeddings of distinct random vocabulary rows, optionally among the first N ids only. */
  SAMPLE_VOCAB,
  /** Embeddings of the label words (mean over a word's pieces), the remaining rows sampled from the vocabulary. */
  CLASS_LABELS,
  /** A prompt saved earlier (an adapter folder or its safetensors file). */
  FILE
}
