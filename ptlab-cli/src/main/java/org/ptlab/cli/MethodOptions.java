package org.ptlab.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.MethodConfigs;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;
import picocli.CommandLine.Option;

/** The options of every tuning method, and the methods they build. */
final class MethodOptions implements HelpLayout.Section {
  @Option(names = "--method", paramLabel = "M[,M]",
      description = "prompt, prefix, lora, full or head; combine PEFT methods with a comma, e.g. lora,prompt")
  String method;

  @Option(names = "--prompt-length", paramLabel = "N", defaultValue = "20",
      description = "virtual tokens of a soft prompt or prefix (default: ${DEFAULT-VALUE})")
  int promptLength;

  @Option(names = "--init", paramLabel = "INIT", defaultValue = "RANDOM",
      description = "prompt init: RANDOM, TEXT, SAMPLE_VOCAB, CLASS_LABELS or FILE (default: ${DEFAULT-VALUE})")
  PromptInit init;

  @Option(names = "--init-scale", paramLabel = "S", defaultValue = "0.5", description = "RANDOM draws U(-s, s) (default: ${DEFAULT-VALUE})")
  double initScale;

  @Option(names = "--init-text", paramLabel = "TEXT", description = "TEXT init: the text (needs a model with a tokenizer)")
  String initText;

  @Option(names = "--init-tokens", paramLabel = "ID", split = ",", description = "TEXT init from token ids instead of text")
  int[] initTokens;

  @Option(names = "--label-words", paramLabel = "WORD", split = ",", description = "CLASS_LABELS init: one word per class, in class order")
  List<String> labelWords;

  @Option(names = "--vocab-cap", paramLabel = "N", defaultValue = "0", description = "SAMPLE_VOCAB/CLASS_LABELS: sample ids below N (0 = all)")
  int vocabCap;

  @Option(names = "--init-file", paramLabel = "PATH", description = "FILE init: an adapter folder or adapter_model.safetensors with prompt_embeddings")
  Path initFile;

  @Option(names = "--prompt-position", paramLabel = "0|1", defaultValue = "0", description = "0 = before everything (PEFT), 1 = after [CLS]")
  int promptPosition;

  @Option(names = "--prefix-projection", description = "prefix tuning through an MLP reparameterisation")
  boolean prefixProjection;

  @Option(names = "--prefix-hidden", paramLabel = "N", defaultValue = "512", description = "hidden width of that MLP (default: ${DEFAULT-VALUE})")
  int prefixHidden;

  @Option(names = "--zero-init", description = "prefix keys and values start at 0")
  boolean zeroInit;

  @Option(names = "--rank", paramLabel = "R", defaultValue = "8", description = "LoRA rank r (default: ${DEFAULT-VALUE})")
  int rank;

  @Option(names = "--alpha", paramLabel = "ALPHA", description = "LoRA alpha (default: 2r)")
  Double alpha;

  @Option(names = "--targets", paramLabel = "MODULE", split = ",", defaultValue = "q,v",
      description = "LoRA modules: q, k, v, o, mlp_in, mlp_out, a module name suffix, or a regex (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--lora-dropout", paramLabel = "P", defaultValue = "0", description = "dropout on LoRA's input (default: ${DEFAULT-VALUE})")
  double loraDropout;

  @Option(names = "--rslora", description = "scale LoRA by alpha/sqrt(r) instead of alpha/r")
  boolean rsLora;

  @Option(names = "--freeze-head", description = "do not train a classifier beside a PEFT method (PEFT trains it)")
  boolean freezeHead;

  @Option(names = "--train-head", description = "also train the LM head (lm_head) beside a PEFT method on "
      + "causal-LM data (PEFT's CAUSAL_LM does not; it is then saved as modules_to_save)")
  boolean trainHead;

  @Option(names = "--allow-ptlab-only-prompt-position",
      description = "write a --prompt-position 1 adapter although PEFT would read it with the prompt at 0 (the "
          + "file says so in a top-level key PEFT warns about)")
  boolean allowPtlabOnlyPosition;

  @Override
  public String heading() {
    return "Method";
  }

  /** The methods named by --method, in order, without repeats (parsed by the registry). */
  Set<PeftMethod> methods() {
    if (method == null) throw new UserError("--method is required (prompt, prefix, lora, full or head)");
    List<String> names = java.util.Arrays.stream(method.split(",", -1)).map(String::strip).toList();
    if (names.contains("")) throw new UserError("--method '" + method + "' has an empty name (e.g. lora,prompt)");
    if (new java.util.HashSet<>(names).size() < names.size()) {
      throw new UserError("--method '" + method + "' names a method twice");
    }
    return PeftMethod.parseAll(method);
  }

  /**
   * Refuses, before anything is written, options that contradict each other or an adapter PEFT would misread:
   * --prompt-position 1 exists only under "ptlab", so a PEFT reader would put the prompt at 0.
   */
  void checkOptions() {
    if (freezeHead && trainHead) throw new UserError("--freeze-head and --train-head contradict each other; give one");
    if (promptPosition != 0 && promptPosition != 1) {
      throw new UserError("--prompt-position must be 0 or 1, got " + promptPosition);
    }
    if (promptPosition == 1 && methods().contains(PeftMethod.PROMPT) && !allowPtlabOnlyPosition) {
      throw new UserError("--prompt-position 1: PEFT has no such setting and would read the adapter with the prompt "
          + "at 0, giving other outputs; pass --allow-ptlab-only-prompt-position to write it anyway");
    }
  }

  /** Which heads train beside PEFT methods: PEFT's rule (a classifier, not lm_head) unless a flag says otherwise. */
  PeftMethod.HeadRule headRule() {
    return freezeHead ? PeftMethod.HeadRule.NONE : trainHead ? PeftMethod.HeadRule.ALL : PeftMethod.HeadRule.PEFT;
  }

  /** The methods on {@code model}, plus a trainable head copy as {@link #headRule()} says. */
  List<TuningMethod> build(Transformer model, Rng rng, Tokenizer tokenizer) throws java.io.IOException {
    try {
      return PeftMethod.build(methods(), configs(model, tokenizer), model, rng, headRule());
    } catch (UncheckedIOException e) {
      throw e.getCause(); // --init-file could not be read
    }
  }

  /** Each method's config from these options; the registry asks only for the methods it builds. */
  private MethodConfigs configs(Transformer model, Tokenizer tokenizer) {
    return new MethodConfigs() {
      @Override
      public PromptTuningConfig prompt() {
        try {
          return promptConfig(model, tokenizer);
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public PrefixTuningConfig prefix() {
        return new PrefixTuningConfig(promptLength, prefixProjection, prefixHidden, zeroInit, 1.0);
      }

      @Override
      public LoraConfig lora() {
        return new LoraConfig(rank, alpha == null ? 2.0 * rank : alpha, loraDropout, targets, rsLora);
      }
    };
  }

  private PromptTuningConfig promptConfig(Transformer model, Tokenizer tokenizer) throws java.io.IOException {
    int[][] tokens = null;
    String text = null;
    Tensor file = null;
    switch (init) {
      case TEXT -> {
        if (initTokens != null) tokens = new int[][] {initTokens};
        else if (initText != null) tokens = new int[][] {encode(tokenizer, initText, "--init-text")};
        else throw new UserError("--init TEXT needs --init-text (a model with a tokenizer) or --init-tokens");
        text = initText;
      }
      case CLASS_LABELS -> {
        if (labelWords == null || labelWords.isEmpty()) throw new UserError("--init CLASS_LABELS needs --label-words");
        tokens = new int[labelWords.size()][];
        for (int i = 0; i < tokens.length; i++) tokens[i] = encode(tokenizer, labelWords.get(i), "--label-words");
        text = String.join("|", labelWords);
      }
      case FILE -> {
        if (initFile == null) throw new UserError("--init FILE needs --init-file");
        file = readPrompt(initFile);
      }
      default -> { }
    }
    return new PromptTuningConfig(promptLength, init, initScale, tokens, text, vocabCap, promptPosition, file);
  }

  private static int[] encode(Tokenizer tokenizer, String text, String option) {
    if (tokenizer == null) throw new UserError(option + ": this model has no tokenizer; give token ids instead");
    return tokenizer.encodePieces(text);
  }

  private static Tensor readPrompt(Path path) throws java.io.IOException {
    Path file = java.nio.file.Files.isDirectory(path) ? path.resolve("adapter_model.safetensors") : path;
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      return f.tensor(PromptTuning.KEY, org.ptlab.tensor.DType.F64);
    }
  }
}
