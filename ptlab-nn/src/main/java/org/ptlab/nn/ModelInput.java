package org.ptlab.nn;

import org.ptlab.tensor.Tensor;

/**
 * One batch as the model reads it: token ids (models with a vocabulary) or vectors (the paper's layer), and which
 * positions are real.
 *
 * @param tokens ids [B][T], right-padded; null when {@code vectors} is given
 * @param vectors inputs [B, T, d]; null when {@code tokens} is given
 * @param attendMask [B, T], 1 for a real position and 0 for padding, in the model's dtype; null = all real
 */
public record ModelInput(int[][] tokens, Tensor vectors, Tensor attendMask) {
  public ModelInput {
    if ((tokens == null) == (vectors == null)) {
      throw new IllegalArgumentException("model input: give exactly one of tokens or vectors");
    }
    if (vectors != null && vectors.rank() != 3) {
      throw new IllegalArgumentException("model input: vectors must be [B, T, d], got rank " + vectors.rank());
    }
  }

  /** Token ids, all positions real. */
  public static ModelInput ofTokens(int[][] tokens) {
    return new ModelInput(tokens, null, null);
  }

  /** Vectors [B, T, d], all positions real. */
  public static ModelInput ofVectors(Tensor vectors) {
    return new ModelInput(null, vectors, null);
  }

  /** Sequences in the batch. */
  public int batch() {
    return tokens != null ? tokens.length : vectors.dim(0);
  }

  /** Positions per sequence (padded). */
  public int length() {
    return tokens != null ? tokens[0].length : vectors.dim(1);
  }
}
