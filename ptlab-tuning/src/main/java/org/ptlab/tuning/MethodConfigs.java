package org.ptlab.tuning;

import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Where each method's config comes from: the command line's options, an experiment's grid point, a test. The
 * registry ({@link PeftMethod}) asks only for the configs of the methods it builds, so a source may leave the
 * others unsupported. One getter per configurable method; full fine-tuning and the head take no config.
 */
public interface MethodConfigs {
  /** The soft prompt's config ({@link PeftMethod#PROMPT}). */
  default PromptTuningConfig prompt() {
    throw new UnsupportedOperationException("no prompt tuning config here");
  }

  /** The prefix's config ({@link PeftMethod#PREFIX}). */
  default PrefixTuningConfig prefix() {
    throw new UnsupportedOperationException("no prefix tuning config here");
  }

  /** LoRA's config ({@link PeftMethod#LORA}). */
  default LoraConfig lora() {
    throw new UnsupportedOperationException("no LoRA config here");
  }
}
