package org.ptlab.tuning.lora;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
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
    if (alpha == null || !alpha.isNumber()) throw a.error("\"lora_alpha\" must be a number");
    boolean rs = c.path("use_rslora").asBoolean(false);
    Map<String, String> byStem = modules(a);
    if (byStem.isEmpty()) throw a.error("no lora_A tensors");
    for (Map.Entry<String, String> e : byStem.entrySet()) { // "r" is believed only if the file agrees, before allocating
      int[] w = a.model().parameters().get(e.getValue() + ".weight").shape(); // [out, in]
      a.requireShape(e.getKey() + A_SUFFIX, r, w[1]);
      a.requireShape(e.getKey() + ".lora_B.weight", w[0], r);
    }
    LoraConfig config = new LoraConfig(r, alpha.asDouble(), c.path("lora_dropout").asDouble(0.0),
        new ArrayList<>(byStem.values()), rs);
    Lora lora = Lora.create(config, a.model(), a.unusedRng());
    Map<String, Tensor> byFileKey = new LinkedHashMap<>(); // LoRA's tensors under the keys the file uses
    for (Map.Entry<String, String> e : byStem.entrySet()) {
      byFileKey.put(e.getKey() + ".lora_A.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_A")));
      byFileKey.put(e.getKey() + ".lora_B.weight", lora.trainable().get(Lora.key(e.getValue(), "lora_B")));
    }
    return new SavedAdapter.Loaded(lora, byFileKey);
  }

  /** The file's key prefix (without .lora_A.weight) → our module name. */
  private static Map<String, String> modules(SavedAdapter a) {
    Map<String, String> modules = new LinkedHashMap<>();
    for (String key : a.weights().names()) {
      if (!key.endsWith(A_SUFFIX)) continue;
      String stem = key.substring(0, key.length() - A_SUFFIX.length());
      String path = stem.startsWith(PEFT_PREFIX) ? stem.substring(PEFT_PREFIX.length()) : stem;
      modules.put(stem, resolveModule(path, a.model(), a));
    }
    return modules;
  }

  /** A module path from a PEFT key: exactly ours, or ours under a wrapper prefix such as "bert.". */
  private static String resolveModule(String path, Transformer model, SavedAdapter a) {
    String p = path;
    while (true) {
      if (model.parameters().has(p + ".weight")) return p;
      int dot = p.indexOf('.');
      if (dot < 0) throw a.error("LoRA module '" + path + "' is not in the model");
      p = p.substring(dot + 1);
    }
  }
}
