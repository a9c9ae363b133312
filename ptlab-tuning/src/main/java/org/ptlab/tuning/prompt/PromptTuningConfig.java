package org.ptlab.tuning.prompt;

import org.ptlab.tensor.Tensor;

/**
 * Soft prompt tuning (Lester et al. 2021): P [m_p, d] prepended at the input layer only.
 *
 * @param numVirtualTokens m_p, the prompt length (PEFT's num_virtual_tokens)
 * @param init how P starts
 * @param randomScale RANDOM draws U(−randomScale, randomScale)
 * @param initTokens TEXT: one row, the text's token ids; CLASS_LABELS: one row per label word; else empty
 * @param initText the text (or label words joined by '|') that gave {@code initTokens}, kept for provenance
 * @param vocabCap SAMPLE_VOCAB and CLASS_LABELS sample ids below this (0 = the whole vocabulary)
 * @param position 0 = before everything (PEFT), 1 = right after the first token ([CLS])
 * @param fromFile FILE: the saved prompt [m_p, d]; else null
 */
public record PromptTuningConfig(int numVirtualTokens, PromptInit init, double randomScale, int[][] initTokens,
    String initText, int vocabCap, int position, Tensor fromFile) {
  public PromptTuningConfig {
    if (numVirtualTokens < 1) throw new IllegalArgumentException("--prompt-length must be >= 1, got " + numVirtualTokens);
    if (init == null) throw new IllegalArgumentException("--init must be set");
    if (!(randomScale > 0)) throw new IllegalArgumentException("--init-scale must be > 0, got " + randomScale);
    if (position != 0 && position != 1) throw new IllegalArgumentException("--prompt-position must be 0 or 1, got " + position);
    if (vocabCap < 0) throw new IllegalArgumentException("--vocab-cap must be >= 0, got " + vocabCap);
    if (initTokens == null) initTokens = new int[0][];
    if ((init == PromptInit.TEXT || init == PromptInit.CLASS_LABELS) && (initTokens.length == 0 || initTokens[0].length == 0)) {
      throw new IllegalArgumentException("--init " + init + " needs " + (init == PromptInit.TEXT ? "--init-text" : "label words"));
    }
    if (init == PromptInit.FILE && fromFile == null) throw new IllegalArgumentException("--init FILE needs --init-file");
  }

  /** m_p rows of uniform noise in [−0.5, 0.5], at position 0: Lester et al.'s random init. */
  public static PromptTuningConfig random(int numVirtualTokens) {
    return new PromptTuningConfig(numVirtualTokens, PromptInit.RANDOM, 0.5, null, null, 0, 0, null);
  }
}
