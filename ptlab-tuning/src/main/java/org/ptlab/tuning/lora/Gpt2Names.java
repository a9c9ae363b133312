package org.ptlab.tuning.lora;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ptlab.io.model.HfGpt2;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.PeftKeys;

/**
 * LoRA in PEFT's layout for GPT2LMHeadModel, for the models {@code export --format hf} writes as GPT-2
 * ({@link HfGpt2#isGpt2}). GPT-2's linear maps are Conv1D modules: PEFT wraps them with lora_A [r, in] and
 * lora_B [out, r] as for a Linear ({@code fan_in_fan_out} only changes how B·A is merged into the [in, out] weight),
 * so A and B keep their values; only the names change, and {@code attn.c_attn} fuses query, key and value.
 *
 * <pre>
 *   PTLab module                               GPT-2 module (key: base_model.model.transformer.h.L.…)
 *   encoder.layer.L.attention.self.query/key/value   h.L.attn.c_attn   rows [0, d) / [d, 2d) / [2d, 3d) of B·A
 *   encoder.layer.L.attention.output.dense     h.L.attn.c_proj
 *   encoder.layer.L.intermediate.dense         h.L.mlp.c_fc
 *   encoder.layer.L.output.dense               h.L.mlp.c_proj
 * </pre>
 *
 * <p>Writing c_attn exactly: the present projections' updates B_q·A_q, … become one LoRA with A = [A_q; A_k; A_v]
 * (rank n·r for n projections) and B block-diagonal (B_q in the query rows and its own columns, zeros elsewhere), with
 * lora_alpha·n (√n with rsLoRA) so that the scaling is unchanged; when the projections share one A (a c_attn LoRA
 * PTLab read) it is written once with B = [B_q; B_k; B_v] and rank r. A c_attn rank other than {@code r} goes into
 * {@code rank_pattern}/{@code alpha_pattern} (PEFT matches their keys as module-name suffixes). PTLab's own per-projection
 * LoRA goes under {@code "ptlab": {"projections": …}}, so that reading the file back gives the same tensors bit for bit.
 */
final class Gpt2Names {
  /** GPT2LMHeadModel's attribute holding the transformer (PEFT's key: base_model.model.transformer.h.L…). */
  static final String BACKBONE = "transformer.";
  static final String PROJECTIONS = "projections";
  static final String[] QKV = {"query", "key", "value"};
  private static final Pattern PTLAB = Pattern.compile(
      "encoder\\.layer\\.(\\d+)\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense|intermediate\\.dense"
          + "|output\\.dense)");

  private Gpt2Names() {}

  /** Whether LoRA on this model is written with GPT-2's names: the model export --format hf writes as GPT-2. */
  static boolean applies(TransformerConfig c) {
    return HfGpt2.isGpt2(c);
  }

  /** GPT-2's module (h.L.attn.c_attn, …) for a PTLab module name. */
  static String gpt2Module(String ptlab) {
    Matcher m = PTLAB.matcher(ptlab);
    if (!m.matches()) throw new IllegalStateException("no GPT-2 name for " + ptlab);
    String h = "h." + m.group(1) + ".";
    return h + switch (m.group(2)) {
      case "attention.output.dense" -> "attn.c_proj";
      case "intermediate.dense" -> "mlp.c_fc";
      case "output.dense" -> "mlp.c_proj";
      default -> "attn.c_attn";
    };
  }

  /** PTLab's module for a non-fused GPT-2 module ("h.L.attn.c_proj" → "encoder.layer.L.attention.output.dense"). */
  static String ptlabModule(int layer, String kind) {
    String p = "encoder.layer." + layer + ".";
    return p + switch (kind) {
      case "attn.c_proj" -> "attention.output.dense";
      case "mlp.c_fc" -> "intermediate.dense";
      case "mlp.c_proj" -> "output.dense";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** One GPT-2 module's LoRA as written: its A [rank, in], B [out, rank] and how many r-wide parts it stacks. */
  record Written(String module, Tensor a, Tensor b, int parts) {
    int rank() {
      return a.dim(0);
    }
  }

  /** The GPT-2 modules' LoRAs of {@code lora}, in model order. */
  static List<Written> plan(Lora lora) {
    Map<String, List<LoraLayer>> byGpt2 = new LinkedHashMap<>();
    for (String m : lora.modules()) byGpt2.computeIfAbsent(gpt2Module(m), k -> new ArrayList<>()).add(lora.layer(m));
    List<Written> out = new ArrayList<>();
    for (Map.Entry<String, List<LoraLayer>> e : byGpt2.entrySet()) {
      List<LoraLayer> parts = e.getValue();
      if (!e.getKey().endsWith("attn.c_attn")) {
        out.add(new Written(e.getKey(), parts.get(0).a.detach(), parts.get(0).b.detach(), 1));
      } else {
        out.add(fuse(e.getKey(), parts));
      }
    }
    return out;
  }

  /** c_attn from the query/key/value LoRAs present (in that order, as PTLab's module order keeps them). */
  private static Written fuse(String module, List<LoraLayer> unordered) {
    List<LoraLayer> parts = new ArrayList<>(unordered);
    parts.sort(java.util.Comparator.comparingInt(p -> projection(p.module)));
    Tensor a0 = parts.get(0).a;
    int r = a0.dim(0);
    int d = a0.dim(1);
    boolean shared = parts.stream().allMatch(p -> sameBits(p.a, a0));
    int rank = shared ? r : r * parts.size();
    Tensor a = Tensor.zeros(a0.dtype(), rank, d);
    Tensor b = Tensor.zeros(a0.dtype(), 3 * d, rank);
    for (int i = 0; i < parts.size(); i++) {
      LoraLayer p = parts.get(i);
      int block = projection(p.module);
      int col = shared ? 0 : i * r;
      if (!shared || i == 0) {
        for (int x = 0; x < r * d; x++) a.setFlat(col * d + x, p.a.getFlat(x));
      }
      for (int o = 0; o < d; o++) {
        for (int j = 0; j < r; j++) b.setFlat((block * d + o) * rank + col + j, p.b.getFlat(o * r + j));
      }
    }
    return new Written(module, a, b, shared ? 1 : parts.size());
  }

  /** 0, 1, 2 for a query, key, value module. */
  static int projection(String module) {
    return Arrays.asList(QKV).indexOf(module.substring(module.lastIndexOf('.') + 1));
  }

  static boolean sameBits(Tensor x, Tensor y) {
    if (!Arrays.equals(x.shape(), y.shape())) return false;
    for (int i = 0; i < x.numel(); i++) {
      if (Double.doubleToRawLongBits(x.getFlat(i)) != Double.doubleToRawLongBits(y.getFlat(i))) return false;
    }
    return true;
  }

  /** The tensors under PEFT's keys for GPT2LMHeadModel. */
  static Map<String, Tensor> tensors(Lora lora) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Written w : plan(lora)) {
      out.put(PeftKeys.TUNER + BACKBONE + w.module() + ".lora_A.weight", w.a());
      out.put(PeftKeys.TUNER + BACKBONE + w.module() + ".lora_B.weight", w.b());
    }
    return out;
  }

  /**
   * The fields that differ from a BERT-named LoRA's: r, lora_alpha, target_modules, fan_in_fan_out (true, as PEFT
   * sets it for Conv1D), rank_pattern and alpha_pattern for the modules whose rank is not r, and PTLab's own LoRA
   * under "ptlab"."projections".
   */
  static void config(Lora lora, ObjectNode c, int layers) {
    LoraConfig lc = lora.config();
    List<Written> plan = plan(lora);
    boolean anyPlain = plan.stream().anyMatch(w -> w.parts() == 1);
    int baseParts = anyPlain ? 1 : plan.get(0).parts();
    c.put("r", lc.r() * baseParts);
    Lora.putAlpha(c, "lora_alpha", alpha(lc, baseParts));
    ArrayNode targets = c.putArray("target_modules");
    targetModules(plan, layers).forEach(targets::add);
    c.put("fan_in_fan_out", true);
    ObjectNode ranks = c.putObject("rank_pattern");
    ObjectNode alphas = c.putObject("alpha_pattern");
    List<Written> odd = plan.stream().filter(w -> w.parts() != baseParts).toList();
    boolean oneCattnRank = plan.stream().filter(w -> w.module().endsWith("c_attn")).map(Written::parts).distinct()
        .count() == 1;
    for (Written w : odd) { // only c_attn can stack parts; "c_attn" when every c_attn has the same rank
      String key = oneCattnRank ? "c_attn" : w.module();
      ranks.put(key, w.rank());
      Lora.putAlpha(alphas, key, alpha(lc, w.parts()));
    }
    ObjectNode ptlab = (ObjectNode) c.get("ptlab");
    ObjectNode own = ptlab.putObject(PROJECTIONS);
    own.put("r", lc.r());
    own.put("lora_alpha", lc.alpha());
    own.put("use_rslora", lc.rsLora());
    ArrayNode modules = own.putArray("modules");
    lora.modules().forEach(modules::add);
  }

  /** The alpha that keeps the scaling of n stacked rank-r parts: α·n (α/r = α·n/(n·r)), or α·√n with rsLoRA. */
  static double alpha(LoraConfig lc, int parts) {
    return lc.rsLora() ? lc.alpha() * Math.sqrt(parts) : lc.alpha() * parts;
  }

  /** A suffix (c_attn, attn.c_proj, c_fc, mlp.c_proj) when every layer has it, else the full module names. */
  private static List<String> targetModules(List<Written> plan, int layers) {
    Map<String, List<String>> bySuffix = new LinkedHashMap<>();
    for (Written w : plan) {
      String kind = w.module().substring(w.module().indexOf('.', 2) + 1); // h.L.attn.c_attn → attn.c_attn
      bySuffix.computeIfAbsent(kind, k -> new ArrayList<>()).add(w.module());
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : bySuffix.entrySet()) {
      String kind = e.getKey();
      if (e.getValue().size() == layers) {
        out.add(kind.equals("attn.c_attn") ? "c_attn" : kind.equals("mlp.c_fc") ? "c_fc" : kind);
      } else {
        e.getValue().forEach(m -> out.add(BACKBONE + m));
      }
    }
    return out;
  }
}
