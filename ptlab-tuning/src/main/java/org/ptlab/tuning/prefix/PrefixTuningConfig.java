package org.ptlab.tuning.prefix;

/**
 * Prefix tuning (Li and Liang 2021): trainable keys and values prepended at every layer.
 *
 * @param numVirtualTokens m_p, prefix length (PEFT's num_virtual_tokens)
 * @param projection reparameterise through an MLP: E [m_p, d] → tanh(E·W1ᵀ + b1)·W2ᵀ + b2 (PEFT's prefix_projection)
 * @param projectionHidden hidden width of that MLP (PEFT's encoder_hidden_size)
 * @param zeroInit start every key and value at 0 (with a projection: the last layer starts at 0)
 * @param initStd otherwise keys/values (or E) start N(0, initStd²)
 * @param positionsAfterPrefix the input's position ids start at m_p, as in Hugging Face and PEFT (the prefix is read
 *     as m_p past tokens); false starts them at 0, as PTLab did before adapter format 2
 */
public record PrefixTuningConfig(int numVirtualTokens, boolean projection, int projectionHidden, boolean zeroInit,
    double initStd, boolean positionsAfterPrefix) {
  public PrefixTuningConfig {
    if (numVirtualTokens < 1) throw new IllegalArgumentException("--prompt-length must be >= 1, got " + numVirtualTokens);
    if (projection && projectionHidden < 1) {
      throw new IllegalArgumentException("--prefix-hidden must be >= 1, got " + projectionHidden);
    }
    if (!(initStd > 0)) throw new IllegalArgumentException("prefix init std must be > 0, got " + initStd);
  }

  /** With PEFT's positions (the input's position ids start after the prefix). */
  public PrefixTuningConfig(int numVirtualTokens, boolean projection, int projectionHidden, boolean zeroInit,
      double initStd) {
    this(numVirtualTokens, projection, projectionHidden, zeroInit, initStd, true);
  }

  /** m_p virtual tokens, no projection, N(0, 1) init (PEFT's nn.Embedding default), PEFT's positions. */
  public static PrefixTuningConfig of(int numVirtualTokens) {
    return new PrefixTuningConfig(numVirtualTokens, false, 0, false, 1.0);
  }
}
