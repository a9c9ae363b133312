package org.ptlab.tuning.lora;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.OneLine;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.SavedAdapter;

/**
 * Reads a LORA adapter, PTLab's or PEFT's. The modules come from the file's {@code lora_A} keys, not from
 * {@code target_modules} (PEFT may write a pattern there); PEFT may prefix module paths with its wrapper's name
 * ("bert."), so a key's path is matched against the model with leading parts dropped.
 */
final class LoraReader {
  private static final String A_SUFFIX = ".lora_A.weight";
  private static final String PEFT_PREFIX = "base_model.model.";

  private LoraReader() {}

  static SavedAdapter.Loaded read(SavedAdapter a) {
    JsonNode c = a.config();
    int r = a.positiveInt("r");
    JsonNode alpha = c.get("lora_alpha");
    if (alpha == null || !alpha.isNumber() || !(alpha.asDouble() > 0) || !Double.isFinite(alpha.asDouble())) {
      throw a.error("\"lora_alpha\" must be a number > 0, got " + alpha);
    }
    double dropout = c.path("lora_dropout").asDouble(0.0);
    if (!(dropout >= 0 && dropout < 1)) throw a.error("\"lora_dropout\" must be in [0, 1), got " + c.get("lora_dropout"));
    List<String> stems = stems(a);
    if (stems.isEmpty()) throw a.error("no lora_A tensors");
    boolean gpt2 = gpt2Names(a, stems);
    refuseUnsupported(a, gpt2);
    if (gpt2) return Gpt2LoraReader.read(a, stems, r, alpha.asDouble(), dropout);
    boolean rs = c.path("use_rslora").asBoolean(false);
    Map<String, String> byStem = modules(a);
    for (Map.Entry<String, String> e : byStem.entrySet()) { // "r" is believed only if the file agrees, before allocating
      int[] w = a.model().parameters().get(e.getValue() + ".weight").shape(); // [out, in]
      a.requireShape(e.getKey() + A_SUFFIX, r, w[1]);
      a.requireShape(e.getKey() + ".lora_B.weight", w[0], r);
    }
    LoraConfig config = new LoraConfig(r, alpha.asDouble(), dropout, new ArrayList<>(byStem.values()), rs);
    Lora lora = Lora.create(config, a.model(), a.unusedRng(), false); // saved again in the names it was read in
    Map<String, Tensor> byFileKey = new LinkedHashMap<>(); // LoRA's tensors under the keys the file uses
    for (Map.Entry<String, String> e : byStem.entrySet()) {
      byFileKey.put(e.getKey() + ".lora_A.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_A")));
      byFileKey.put(e.getKey() + ".lora_B.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_B")));
    }
    return new SavedAdapter.Loaded(lora, byFileKey);
  }

  /** The file's key prefixes (without .lora_A.weight), in file order. */
  private static List<String> stems(SavedAdapter a) {
    List<String> out = new ArrayList<>();
    for (String key : a.weights().names()) if (key.endsWith(A_SUFFIX)) out.add(key.substring(0, key.length() - A_SUFFIX.length()));
    return out;
  }

  /**
   * Whether the file uses GPT-2's module names (transformer.h.L.attn.c_attn, …): only on a GPT-2-shaped model
   * ({@link Gpt2Names#applies}), and then for every module; PTLab's (BERT's) names load as before.
   */
  private static boolean gpt2Names(SavedAdapter a, List<String> stems) {
    if (!Gpt2Names.applies(a.model().config())) {
      for (String stem : stems) { // GPT-2's names on a BERT-named model: say so before any other complaint
        String path = stem.startsWith(PEFT_PREFIX) ? stem.substring(PEFT_PREFIX.length()) : stem;
        if (Gpt2LoraReader.MODULE.matcher(path).matches() && findModule(path, a.model()) == null) {
          throw a.error("LoRA module " + OneLine.quote(path) + " is not in the model: GPT-2's names apply to models "
              + "export --format hf writes as GPT-2 (pre-LN causal decoders with an LM head), this one has BERT's");
        }
      }
      return false;
    }
    String gpt2 = null;
    String ptlab = null;
    for (String stem : stems) {
      String path = stem.startsWith(PEFT_PREFIX) ? stem.substring(PEFT_PREFIX.length()) : stem;
      if (stem.startsWith(PEFT_PREFIX) && Gpt2LoraReader.isModule(path, a.model())) gpt2 = path;
      else if (findModule(path, a.model()) != null) ptlab = path;
      else throw Gpt2LoraReader.unmapped(a, path);
    }
    if (gpt2 != null && ptlab != null) {
      throw a.error("LoRA modules " + OneLine.quote(gpt2) + " (GPT-2's names) and " + OneLine.quote(ptlab)
          + " (PTLab's) in one file; PTLab reads one naming per adapter");
    }
    return gpt2 != null;
  }

  /**
   * PEFT options PTLab would silently misapply: weights stored transposed (GPT-2's Conv1D) on PTLab's Linear modules,
   * trained biases, per-module ranks and alphas outside GPT-2's names. Their defaults (false, "none") and absence are
   * fine. On GPT-2's Conv1D modules fan_in_fan_out is true (PEFT sets it; lora_A and lora_B are [r, in] and
   * [out, r] either way, it only changes merging) and rank_pattern / alpha_pattern are read.
   */
  private static void refuseUnsupported(SavedAdapter a, boolean gpt2) {
    JsonNode fifo = a.config().get("fan_in_fan_out");
    if (gpt2 && fifo != null && !fifo.isNull() && !fifo.isBoolean()) {
      throw a.error("\"fan_in_fan_out\" is " + OneLine.of(fifo.toString()) + "; it must be true or false");
    }
    if (!gpt2 && fifo != null && !fifo.isNull() && !(fifo.isBoolean() && !fifo.asBoolean())) {
      throw a.error("\"fan_in_fan_out\" is " + fifo + "; PTLab reads LoRA weights in PEFT's [out, in] layout only (false)");
    }
    for (String flag : new String[] {"use_dora", "lora_bias", "use_qalora"}) { // each changes the forward pass
      JsonNode v = a.config().get(flag);
      if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
        throw a.error("\"" + flag + "\" is " + v + "; PTLab's LoRA reads plain LoRA only (false)");
      }
    }
    for (String field : new String[] {"alpha_pattern", "rank_pattern", "layer_replication", "trainable_token_indices",
        "alora_invocation_tokens"}) { // a per-module alpha would scale some modules differently: refuse, not misapply
      if (gpt2 && field.endsWith("_pattern")) continue; // Gpt2LoraReader reads them
      JsonNode v = a.config().get(field);
      if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
        throw a.error("\"" + field + "\" is set (" + OneLine.of(v.toString()) + "); PTLab does not apply it");
      }
    }
    JsonNode bias = a.config().get("bias");
    if (bias != null && !bias.isNull() && !(bias.isTextual() && bias.asText().equals("none"))) {
      throw a.error("\"bias\" is " + bias + "; PTLab's LoRA trains no biases (\"none\" only)");
    }
  }

  /** The file's key prefix (without .lora_A.weight) → our module name; one LoRA per module. */
  private static Map<String, String> modules(SavedAdapter a) {
    Map<String, String> modules = new LinkedHashMap<>();
    Map<String, String> stemOf = new LinkedHashMap<>();
    for (String key : a.weights().names()) {
      if (!key.endsWith(A_SUFFIX)) continue;
      String stem = key.substring(0, key.length() - A_SUFFIX.length());
      String path = stem.startsWith(PEFT_PREFIX) ? stem.substring(PEFT_PREFIX.length()) : stem;
      String module = resolveModule(path, a.model(), a);
      String other = stemOf.put(module, stem);
      if (other != null) { // e.g. "bert.encoder…query" and "encoder…query": which one would PTLab apply?
        throw new IllegalArgumentException(a.configFile().resolveSibling(AdapterFiles.WEIGHTS) + ": two LoRA adapters "
            + "on module '" + module + "': " + OneLine.quote(other + A_SUFFIX) + " and " + OneLine.quote(key));
      }
      modules.put(stem, module);
    }
    return modules;
  }

  /** A module path from a PEFT key: exactly ours, or ours under a wrapper prefix such as "bert.". */
  private static String resolveModule(String path, Transformer model, SavedAdapter a) {
    String found = findModule(path, model);
    if (found != null) return found;
    if (Gpt2Names.applies(model.config())) throw Gpt2LoraReader.unmapped(a, path);
    throw a.error("LoRA module " + OneLine.quote(path) + " is not in the model");
  }

  /** {@code path}, or the first of its tails after a dot, that names a module with a weight in the model; else null. */
  private static String findModule(String path, Transformer model) {
    String p = path;
    while (true) {
      if (model.parameters().has(p + ".weight")) return p;
      int dot = p.indexOf('.');
      if (dot < 0) return null;
      p = p.substring(dot + 1);
    }
  }
}
