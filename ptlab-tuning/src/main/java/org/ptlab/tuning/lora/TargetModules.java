package org.ptlab.tuning.lora;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Resolves LoRA's target names to the model's linear modules (Hugging Face names). */
final class TargetModules {
  /** Aliases for the modules of a block. */
  private static final Map<String, String> ALIASES = Map.of(
      "q", "attention\\.self\\.query",
      "k", "attention\\.self\\.key",
      "v", "attention\\.self\\.value",
      "o", "attention\\.output\\.dense",
      "mlp_in", "intermediate\\.dense",
      "mlp_out", "layer\\.\\d+\\.output\\.dense");

  private TargetModules() {}

  /** The modules among {@code linearModules} that some target selects; an error if a target selects none. */
  static List<String> resolve(List<String> targets, List<String> linearModules) {
    List<String> chosen = new ArrayList<>();
    for (String target : targets) {
      int before = chosen.size();
      for (String module : linearModules) {
        if (matches(target, module) && !chosen.contains(module)) chosen.add(module);
      }
      boolean matchedAny = linearModules.stream().anyMatch(m -> matches(target, m));
      if (!matchedAny && chosen.size() == before) {
        throw new IllegalArgumentException("--targets: '" + target + "' matches no linear module (aliases: q, k, v, o, "
            + "mlp_in, mlp_out; or a name such as query, value, intermediate.dense)");
      }
    }
    chosen.sort((a, b) -> Integer.compare(linearModules.indexOf(a), linearModules.indexOf(b)));
    return chosen;
  }

  static boolean matches(String target, String module) {
    String alias = ALIASES.get(target.toLowerCase(java.util.Locale.ROOT));
    if (alias != null) return Pattern.compile(".*" + alias).matcher(module).matches();
    if (target.matches("[A-Za-z0-9_.]+")) return module.equals(target) || module.endsWith("." + target);
    return Pattern.compile(target).matcher(module).matches();
  }
}
