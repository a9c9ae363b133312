package org.ptlab.tuning.lora;

import java.util.List;

/**
 * LoRA (Hu et al. 2021): W x becomes W x + scaling·B A x with A [r, in], B [out, r], scaling = α/r (or α/√r with
 * rsLoRA, Kalajdzievski 2023).
 *
 * @param r rank
 * @param alpha α
 * @param dropout dropout on the update's input, in training
 * @param targetModules which linear modules: aliases q, k, v, o, mlp_in, mlp_out; a name suffix as in PEFT
 *     ("query" matches every {@code ….query}); or a regular expression matched against the whole module name
 * @param rsLora scale by α/√r instead of α/r
 */
public record LoraConfig(int r, double alpha, double dropout, List<String> targetModules, boolean rsLora) {
  public LoraConfig {
    if (r < 1) throw new IllegalArgumentException("--rank must be >= 1, got " + r);
    if (!(alpha > 0)) throw new IllegalArgumentException("--alpha must be > 0, got " + alpha);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--lora-dropout must be in [0, 1), got " + dropout);
    if (targetModules == null || targetModules.isEmpty()) throw new IllegalArgumentException("--targets must name at least one module");
    targetModules = List.copyOf(targetModules);
  }

  /** Rank r on Q and V with α = 2r, no dropout: the usual default. */
  public static LoraConfig of(int r) {
    return new LoraConfig(r, 2.0 * r, 0.0, List.of("q", "v"), false);
  }

  /** The factor on B·A. */
  public double scaling() {
    return rsLora ? alpha / Math.sqrt(r) : alpha / r;
  }
}
