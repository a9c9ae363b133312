package org.ptlab.tuning;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.ptlab.io.OneLine;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * The registry of tuning methods: one entry per method, with its command-line name, PEFT's {@code peft_type},
 * its config type, its factory and its adapter reader. This is the only place that dispatches on a method; the
 * command line, the experiments and the adapter reader all come here. {@code PeftMethod} names the kind of method
 * (PEFT's {@code PeftType} plus {@code register_peft_method}); a {@link TuningMethod} is one instance attached to
 * a model.
 *
 * <p>Adding a method: write its package ({@code tuning.<m>}: config record, a class implementing
 * {@link TuningMethod} with {@code create(config, model, rng)} and {@code read(SavedAdapter)}), add one entry here,
 * a getter for its config to {@link MethodConfigs}, and one row to {@code PeftMethodTest}'s matrix. Java loads
 * classes lazily, so PEFT's import-time registration does not carry over; an enum also makes {@code switch}
 * exhaustive.
 *
 * <pre>{@code
 * List<TuningMethod> methods = PeftMethod.build(PeftMethod.parseAll("lora,prompt"), configs, model, rng, true);
 * TunedModel tuned = TunedModel.of(model, methods.toArray(TuningMethod[]::new)); // LoRA, prompt and the head
 * }</pre>
 */
public enum PeftMethod {
  /** Soft prompt tuning (Lester et al. 2021), package {@code tuning.prompt}. */
  PROMPT("prompt", "PROMPT_TUNING",
      Factory.of(PromptTuningConfig.class, MethodConfigs::prompt, PromptTuning::create), PromptTuning::read),
  /** Prefix tuning (Li and Liang 2021), package {@code tuning.prefix}. */
  PREFIX("prefix", "PREFIX_TUNING",
      Factory.of(PrefixTuningConfig.class, MethodConfigs::prefix, PrefixTuning::create), PrefixTuning::read),
  /** LoRA (Hu et al. 2021), package {@code tuning.lora}. */
  LORA("lora", "LORA", Factory.of(LoraConfig.class, MethodConfigs::lora, Lora::create), Lora::read),
  /** Full fine-tuning, the baseline: every weight trains; saved as a whole model, not an adapter. */
  FULL("full", null, Factory.of(Void.class, c -> null, (c, model, rng) -> new FullFineTuning(model)), null),
  /** The task head alone on the frozen model (the linear probe); saved as PEFT's {@code modules_to_save}. */
  HEAD("head", null, Factory.of(Void.class, c -> null, (c, model, rng) -> ModulesToSave.requireHead(model)), null);

  private final String cliName;
  private final String peftType;
  private final Factory<?> factory;
  private final SavedAdapter.Reader reader;

  PeftMethod(String cliName, String peftType, Factory<?> factory, SavedAdapter.Reader reader) {
    this.cliName = cliName;
    this.peftType = peftType;
    this.factory = factory;
    this.reader = reader;
  }

  /** The name on the command line and in an experiment's grid ({@code --method lora}). */
  public String cliName() {
    return cliName;
  }

  /** PEFT's {@code peft_type} in adapter_config.json, or null for PTLab's baselines (full, head). */
  public String peftType() {
    return peftType;
  }

  /** True for the methods PEFT knows: they write an adapter and, by PEFT's convention, train the head beside. */
  public boolean isPeft() {
    return peftType != null;
  }

  /** True when the method trains the base model's own weights (so the model is not frozen). */
  public boolean trainsBaseModel() {
    return this == FULL;
  }

  /** The record that configures the method ({@code Void} when it takes none). */
  public Class<?> configType() {
    return factory.type();
  }

  /** The method on {@code model}, configured by the entry of {@code configs} for this kind, drawing from rng. */
  public TuningMethod create(MethodConfigs configs, Transformer model, Rng rng) {
    return factory.create(configs, model, rng);
  }

  /** Reads this method's part of a saved adapter (PEFT's or PTLab's); only PEFT methods have a reader. */
  public SavedAdapter.Loaded read(SavedAdapter adapter) {
    if (reader == null) throw new IllegalStateException(cliName + " has no adapter reader");
    return reader.read(adapter);
  }

  /** The method called {@code name} on the command line (prompt, prefix, lora, full, head). */
  public static PeftMethod parse(String name) {
    for (PeftMethod m : values()) if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) return m;
    throw new IllegalArgumentException("--method: unknown method '" + name + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(PeftMethod::cliName).toList()) + ")");
  }

  /** A comma-separated list such as "lora,prompt", in order and without repeats; full and head stand alone. */
  public static Set<PeftMethod> parseAll(String names) {
    Set<PeftMethod> out = new LinkedHashSet<>();
    for (String name : names.split(",")) out.add(parse(name.trim()));
    if (out.size() > 1 && !out.stream().allMatch(PeftMethod::isPeft)) {
      throw new IllegalArgumentException("--method: full and head do not combine with other methods");
    }
    return out;
  }

  /** The method whose adapter_config.json says {@code peftType}; {@code source} names the file in errors. */
  public static PeftMethod fromPeftType(String peftType, String source) {
    for (PeftMethod m : values()) if (peftType.equals(m.peftType)) return m;
    throw new IllegalArgumentException(source + ": peft_type " + OneLine.quote(peftType) + " is not supported ("
        + String.join(", ", Arrays.stream(values()).filter(PeftMethod::isPeft).map(PeftMethod::peftType).toList())
        + ")");
  }

  /**
   * Which task heads train beside PEFT methods (the one rule about heads, PEFT's {@code modules_to_save}).
   * {@link #PEFT}: as PEFT's task models do, a classifier or per-position head (SEQ_CLS, TOKEN_CLS add it to
   * modules_to_save) but not a language model's {@code lm_head} (CAUSAL_LM adds nothing); {@link #ALL}: any head,
   * lm_head included; {@link #NONE}: no head.
   */
  public enum HeadRule {
    PEFT, ALL, NONE;

    /** Whether this rule trains a head of kind {@code head} beside PEFT methods. */
    public boolean trains(org.ptlab.nn.TransformerConfig.Head head) {
      return switch (this) {
        case PEFT -> head == org.ptlab.nn.TransformerConfig.Head.CLASSIFY || head == org.ptlab.nn.TransformerConfig.Head.REGRESS;
        case ALL -> head != org.ptlab.nn.TransformerConfig.Head.NONE;
        case NONE -> false;
      };
    }
  }

  /** {@link #build(Collection, MethodConfigs, Transformer, Rng, HeadRule)}: {@code trainHead} is PEFT's rule, else none. */
  public static List<TuningMethod> build(Collection<PeftMethod> kinds, MethodConfigs configs, Transformer model,
      Rng rng, boolean trainHead) {
    return build(kinds, configs, model, rng, trainHead ? HeadRule.PEFT : HeadRule.NONE);
  }

  /**
   * The methods {@code kinds} on {@code model}, created in order from one rng, and the one rule about heads: when
   * every kind is a PEFT method and {@code heads} trains the model's head, a trainable copy of it (PEFT's
   * {@code modules_to_save}) is added last. Full fine-tuning trains the head anyway; {@link #HEAD} is the head.
   */
  public static List<TuningMethod> build(Collection<PeftMethod> kinds, MethodConfigs configs, Transformer model,
      Rng rng, HeadRule heads) {
    List<TuningMethod> out = new java.util.ArrayList<>();
    for (PeftMethod kind : kinds) out.add(kind.create(configs, model, rng));
    if (heads.trains(model.config().head()) && !kinds.isEmpty() && kinds.stream().allMatch(PeftMethod::isPeft)) {
      ModulesToSave head = ModulesToSave.ofHead(model);
      if (head != null) out.add(head);
    }
    return out;
  }

  /** A method's factory: which config it takes, where that config comes from, and how it is built. */
  private record Factory<C>(Class<C> type, Function<MethodConfigs, C> pick, Creator<C> creator) {
    static <C> Factory<C> of(Class<C> type, Function<MethodConfigs, C> pick, Creator<C> creator) {
      return new Factory<>(type, pick, creator);
    }

    TuningMethod create(MethodConfigs configs, Transformer model, Rng rng) {
      return creator.create(pick.apply(configs), model, rng);
    }
  }

  /** The static {@code create(config, model, rng)} of a method class. */
  @FunctionalInterface
  private interface Creator<C> {
    TuningMethod create(C config, Transformer model, Rng rng);
  }
}
