package org.ptlab.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptlab.nn.DecodeCache;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;

/**
 * A frozen {@link Transformer} with tuning methods attached (PEFT's {@code PeftModel}). The base weights do not
 * train unless a method trains them ({@link PeftMethod#FULL}); {@link #disableAdapters()} gives back the base model, bit-exact.
 *
 * <pre>{@code
 * TunedModel tuned = TunedModel.of(model, PromptTuning.create(PromptTuningConfig.random(20), model, rng),
 *     ModulesToSave.ofHead(model));
 * System.err.println(tuned.summary()); // trainable params: 7,682 || all params: 22,573,058 || trainable%: 0.0340
 * }</pre>
 */
public final class TunedModel {
  private final Transformer model;
  private final List<TuningMethod> methods;
  private boolean enabled = true;

  private TunedModel(Transformer model, List<TuningMethod> methods) {
    this.model = model;
    this.methods = List.copyOf(methods);
  }

  /**
   * Freezes {@code model} (unless a method trains it, as FULL does) and attaches {@code methods}; null entries
   * are skipped. Build the methods with {@link PeftMethod#build}.
   */
  public static TunedModel of(Transformer model, TuningMethod... methods) {
    List<TuningMethod> list = new ArrayList<>();
    for (TuningMethod m : methods) if (m != null) list.add(m);
    model.requiresGrad(trainsBase(list));
    for (TuningMethod m : list) m.trainable().values().forEach(t -> t.requiresGrad(true));
    return new TunedModel(model, list);
  }

  /** The head's output with every enabled method applied. */
  public Tensor forward(ModelInput input, ForwardMode pass) {
    if (!enabled) return model.forward(input, hooks(), pass);
    for (TuningMethod m : methods) m.beginPass(pass);
    try {
      return model.forward(input, hooks(), pass);
    } finally {
      for (TuningMethod m : methods) m.endPass();
    }
  }

  /**
   * One decoding step of a causal model with every enabled method applied (see {@link Transformer#decode}): the
   * first call on a fresh {@code cache} places the prefix and the soft prompt, as {@link #forward} does.
   */
  public Tensor decode(int[][] tokens, DecodeCache cache) {
    if (!enabled) return model.decode(tokens, cache, hooks());
    for (TuningMethod m : methods) m.beginPass(ForwardMode.EVAL);
    try {
      return model.decode(tokens, cache, hooks());
    } finally {
      for (TuningMethod m : methods) m.endPass();
    }
  }

  /** The hooks of every method (none when disabled; a merged LoRA is then unmerged first, as PEFT does). */
  public ForwardHooks hooks() {
    if (!enabled) {
      for (TuningMethod m : methods) m.restoreBase();
      return ForwardHooks.NONE;
    }
    if (methods.isEmpty()) return ForwardHooks.NONE;
    ForwardHooks[] parts = methods.stream().map(TuningMethod::hooks).toArray(ForwardHooks[]::new);
    return parts.length == 1 ? parts[0] : ForwardHooks.compose(parts);
  }

  /**
   * Every trainable tensor under its checkpoint name. Prompt and prefix tuning both call their tensor
   * "prompt_embeddings" (PEFT's key in each own adapter file); a key that more than one method uses is qualified by
   * the method, "prefix/prompt_embeddings", so the two compose. Keys no other method uses keep their bare name, so
   * the checkpoints of every other combination are unchanged.
   */
  public Map<String, Tensor> trainable() {
    Map<String, Integer> uses = new java.util.HashMap<>();
    for (TuningMethod m : methods) m.trainable().keySet().forEach(k -> uses.merge(k, 1, Integer::sum));
    Map<String, Tensor> all = new LinkedHashMap<>();
    for (TuningMethod m : methods) {
      for (Map.Entry<String, Tensor> e : m.trainable().entrySet()) {
        String key = uses.get(e.getKey()) > 1 ? m.kind().cliName() + "/" + e.getKey() : e.getKey();
        if (all.putIfAbsent(key, e.getValue()) != null) {
          throw new IllegalStateException("two methods train a tensor called " + key); // the same method twice
        }
      }
    }
    return all;
  }

  /** Number of trainable scalars. */
  public long trainableCount() {
    long n = 0;
    for (Tensor t : trainable().values()) n += t.numel();
    return n;
  }

  /** Scalars of the base model plus those the methods add (PEFT counts both). */
  public long totalCount() {
    return model.parameters().count() + (trainsBaseModel() ? 0 : trainableCount());
  }

  /** PEFT's {@code print_trainable_parameters} line. */
  public String summary() {
    long t = trainableCount();
    long all = totalCount();
    return String.format(Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f", t, all,
        100.0 * t / all);
  }

  /**
   * Runs the base model alone until {@link #enableAdapters()}. A merged LoRA is unmerged at the next pass, so the
   * base weights are back to round-off (bit-exact when nothing was merged).
   */
  public void disableAdapters() {
    enabled = false;
  }

  public void enableAdapters() {
    enabled = true;
  }

  public boolean adaptersEnabled() {
    return enabled;
  }

  public Transformer model() {
    return model;
  }

  public List<TuningMethod> methods() {
    return methods;
  }

  /** The attached method of this kind, or null. */
  public TuningMethod method(PeftMethod kind) {
    for (TuningMethod m : methods) if (m.kind() == kind) return m;
    return null;
  }

  /** True when a method trains the base model's own weights (full fine-tuning): it is then saved whole. */
  public boolean trainsBaseModel() {
    return trainsBase(methods);
  }

  private static boolean trainsBase(List<TuningMethod> methods) {
    return methods.stream().anyMatch(m -> m.kind().trainsBaseModel());
  }
}
