package org.ptlab.lab.wang2023;

import java.util.List;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.MethodConfigs;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * The methods E10 compares, configured as a PEFT user would: every PEFT method also trains the classification
 * head (PEFT's {@code modules_to_save}); {@code head} trains the head alone on the frozen encoder (the linear-probe
 * baseline); {@code full} trains everything.
 */
final class E10Methods {
  /** CLASS_LABELS init: one word per class, in label order (0 = negative, 1 = positive). */
  static final List<String> LABEL_WORDS = List.of("negative", "positive");
  /** RANDOM init draws U(−s, s); s = 0.5 is PEFT's and Lester et al.'s choice. */
  static final double RANDOM_SCALE = 0.5;
  /** SAMPLE_VOCAB draws from the whole vocabulary (0 = no cap; about 3 % of it are [unused] pieces). */
  static final int VOCAB_CAP = 0;

  private E10Methods() {}

  static List<TuningMethod> build(E10Point point, Transformer model, Rng rng, Tokenizer tokenizer) {
    String method = point.method();
    PeftMethod kind;
    try {
      kind = PeftMethod.parse(method);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("E10: config key 'method' must be head, prompt, prefix, lora or full, got "
          + method);
    }
    MethodConfigs configs = new MethodConfigs() {
      @Override
      public PromptTuningConfig prompt() {
        return promptConfig(point, tokenizer);
      }

      @Override
      public PrefixTuningConfig prefix() {
        return PrefixTuningConfig.of(point.promptLength());
      }

      @Override
      public LoraConfig lora() {
        int r = point.rank();
        return new LoraConfig(r, 2.0 * r, 0.0, List.of("q", "v"), false);
      }
    };
    return PeftMethod.build(List.of(kind), configs, model, rng, true); // the registry adds the head to PEFT methods
  }

  private static PromptTuningConfig promptConfig(E10Point point, Tokenizer tokenizer) {
    PromptInit init = PromptInit.valueOf(point.init());
    int[][] tokens = null;
    String text = null;
    if (init == PromptInit.CLASS_LABELS) {
      tokens = LABEL_WORDS.stream().map(tokenizer::encodePieces).toArray(int[][]::new);
      text = String.join("|", LABEL_WORDS);
    }
    return new PromptTuningConfig(point.promptLength(), init, RANDOM_SCALE, tokens, text, VOCAB_CAP, 0, null);
  }
}
