package org.ptlab.io.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.io.OneLine;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * GPT-2's tensors to PTLab's and back. GPT-2 stores every linear map as a Conv1D, weight [in, out] (x·W + b), where
 * PTLab's Linear keeps [out, in] (x·Wᵀ + b): each is transposed. {@code attn.c_attn} fuses the query, key and value
 * maps in that order along its output axis ([d, 3d], bias [3d]); PTLab keeps three. Values are copied, never
 * recomputed, so a folder read and written again holds the same bits.
 *
 * <pre>
 *   HF (GPT2LMHeadModel; GPT2Model lacks the "transformer." prefix)   PTLab
 *   transformer.wte.weight [V, d]                                     embeddings.word_embeddings.weight
 *   transformer.wpe.weight [P, d]                                     embeddings.position_embeddings.weight
 *   transformer.h.L.ln_1.{weight,bias}                                encoder.layer.L.attention.output.LayerNorm.*
 *   transformer.h.L.attn.c_attn.weight [d, 3d], .bias [3d]            encoder.layer.L.attention.self.{query,key,value}.*
 *   transformer.h.L.attn.c_proj.weight [d, d]                         encoder.layer.L.attention.output.dense.*
 *   transformer.h.L.ln_2.{weight,bias}                                encoder.layer.L.output.LayerNorm.*
 *   transformer.h.L.mlp.c_fc.weight [d, r]                            encoder.layer.L.intermediate.dense.*
 *   transformer.h.L.mlp.c_proj.weight [r, d]                          encoder.layer.L.output.dense.*
 *   transformer.ln_f.{weight,bias}                                    encoder.LayerNorm.*
 *   lm_head.weight [V, d] (absent when tied to wte)                   lm_head.weight; lm_head.bias = 0
 *   transformer.h.L.attn.bias, .attn.masked_bias (causal-mask buffers) skipped
 * </pre>
 */
public final class HfGpt2Weights {
  private static final String PREFIX = "transformer.";

  private HfGpt2Weights() {}

  /**
   * The tensors of a GPT-2 model.safetensors under PTLab's names, as {@code c.dtype()}; {@code tied} says whether
   * lm_head is wte (config.json's tie_word_embeddings).
   *
   * @throws IllegalArgumentException naming the first tensor that is unknown, missing, of the wrong shape, or an
   *     lm_head that differs from wte although the config ties them
   */
  public static Map<String, Tensor> read(Path file, TransformerConfig c, boolean tied) throws IOException {
    Map<String, Tensor> hf = new LinkedHashMap<>();
    Map<String, String> stored = new LinkedHashMap<>(); // key → the name in the file, for messages
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.names()) {
        String key = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        if (key.matches("h\\.\\d+\\.attn\\.(bias|masked_bias)")) continue; // causal-mask buffers, not weights
        if (hf.containsKey(key)) {
          throw new IllegalArgumentException(file + ": tensors '" + OneLine.of(key) + "' and '" + OneLine.of(name)
              + "' are the same GPT-2 tensor");
        }
        stored.put(key, name);
        hf.put(key, f.tensor(name, c.dtype()));
      }
    }
    return new Reader(file.toString(), hf, stored, c).read(tied);
  }

  /**
   * A model's weights (PTLab names) as GPT2LMHeadModel names and layouts; lm_head.weight only when not tied.
   *
   * @param tied whether lm_head.weight is written as wte (see {@link #isTied})
   * @throws IllegalArgumentException when the LM head's bias is not all zero (GPT-2's head has none)
   */
  public static Map<String, Tensor> write(Map<String, Tensor> w, TransformerConfig c, boolean tied) {
    Tensor bias = w.get("lm_head.bias");
    for (int i = 0; i < bias.numel(); i++) {
      if (bias.getFlat(i) != 0) {
        throw new IllegalArgumentException("--format hf: lm_head.bias is not zero (entry " + i + " = "
            + bias.getFlat(i) + "); GPT2LMHeadModel's LM head has no bias");
      }
    }
    int d = c.dModel();
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(PREFIX + "wte.weight", w.get("embeddings.word_embeddings.weight"));
    out.put(PREFIX + "wpe.weight", w.get("embeddings.position_embeddings.weight"));
    for (int l = 0; l < c.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      String h = PREFIX + "h." + l + ".";
      out.put(h + "ln_1.weight", w.get(p + "attention.output.LayerNorm.weight"));
      out.put(h + "ln_1.bias", w.get(p + "attention.output.LayerNorm.bias"));
      Tensor fused = Tensor.zeros(c.dtype(), d, 3 * d);
      Tensor fusedBias = Tensor.zeros(c.dtype(), 3 * d);
      String[] qkv = {"query", "key", "value"};
      for (int k = 0; k < 3; k++) {
        Tensor wk = w.get(p + "attention.self." + qkv[k] + ".weight"); // [d out, d in]
        Tensor bk = w.get(p + "attention.self." + qkv[k] + ".bias");
        for (int o = 0; o < d; o++) {
          for (int i = 0; i < d; i++) fused.setFlat(i * 3 * d + k * d + o, wk.getFlat(o * d + i));
          fusedBias.setFlat(k * d + o, bk.getFlat(o));
        }
      }
      out.put(h + "attn.c_attn.weight", fused);
      out.put(h + "attn.c_attn.bias", fusedBias);
      out.put(h + "attn.c_proj.weight", transpose(w.get(p + "attention.output.dense.weight")));
      out.put(h + "attn.c_proj.bias", w.get(p + "attention.output.dense.bias"));
      out.put(h + "ln_2.weight", w.get(p + "output.LayerNorm.weight"));
      out.put(h + "ln_2.bias", w.get(p + "output.LayerNorm.bias"));
      out.put(h + "mlp.c_fc.weight", transpose(w.get(p + "intermediate.dense.weight")));
      out.put(h + "mlp.c_fc.bias", w.get(p + "intermediate.dense.bias"));
      out.put(h + "mlp.c_proj.weight", transpose(w.get(p + "output.dense.weight")));
      out.put(h + "mlp.c_proj.bias", w.get(p + "output.dense.bias"));
    }
    out.put(PREFIX + "ln_f.weight", w.get("encoder.LayerNorm.weight"));
    out.put(PREFIX + "ln_f.bias", w.get("encoder.LayerNorm.bias"));
    if (!tied) out.put("lm_head.weight", w.get("lm_head.weight"));
    return out;
  }

  /** Whether the LM head's weight equals the word embeddings bit for bit (then GPT-2 ties them). */
  public static boolean isTied(Map<String, Tensor> w) {
    return sameBits(w.get("lm_head.weight"), w.get("embeddings.word_embeddings.weight"));
  }

  private static boolean sameBits(Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape()) || a.dtype() != b.dtype()) return false;
    for (int i = 0; i < a.numel(); i++) {
      if (Double.doubleToRawLongBits(a.getFlat(i)) != Double.doubleToRawLongBits(b.getFlat(i))) return false;
    }
    return true;
  }

  /** [a, b] → [b, a], values copied. */
  static Tensor transpose(Tensor t) {
    int a = t.dim(0);
    int b = t.dim(1);
    Tensor out = Tensor.zeros(t.dtype(), b, a);
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) out.setFlat(j * a + i, t.getFlat(i * b + j));
    }
    return out;
  }

  /** One read: takes tensors out of {@code hf} as it maps them, so what is left at the end is unknown. */
  private static final class Reader {
    private final String source;
    private final Map<String, Tensor> hf;
    private final Map<String, String> stored;
    private final TransformerConfig c;
    private final Map<String, Tensor> out = new LinkedHashMap<>();

    Reader(String source, Map<String, Tensor> hf, Map<String, String> stored, TransformerConfig c) {
      this.source = source;
      this.hf = hf;
      this.stored = stored;
      this.c = c;
    }

    Map<String, Tensor> read(boolean tied) {
      for (String name : hf.keySet()) { // an unknown name first: a misspelt tensor would otherwise read as missing
        if (!expected(name)) {
          throw new IllegalArgumentException(source + ": tensor '" + OneLine.of(stored.get(name))
              + "' has no PTLab equivalent (GPT-2 with " + c.layers() + " layers)");
        }
      }
      int d = c.dModel();
      int r = c.mlpHidden();
      Tensor wte = take("wte.weight", c.vocabSize(), d);
      out.put("embeddings.word_embeddings.weight", wte);
      out.put("embeddings.position_embeddings.weight", take("wpe.weight", c.maxPositions(), d));
      for (int l = 0; l < c.layers(); l++) {
        String p = "encoder.layer." + l + ".";
        String h = "h." + l + ".";
        out.put(p + "attention.output.LayerNorm.weight", take(h + "ln_1.weight", d));
        out.put(p + "attention.output.LayerNorm.bias", take(h + "ln_1.bias", d));
        Tensor fused = take(h + "attn.c_attn.weight", d, 3 * d);
        Tensor fusedBias = take(h + "attn.c_attn.bias", 3 * d);
        String[] qkv = {"query", "key", "value"};
        for (int k = 0; k < 3; k++) {
          Tensor wk = Tensor.zeros(c.dtype(), d, d);
          Tensor bk = Tensor.zeros(c.dtype(), d);
          for (int o = 0; o < d; o++) {
            for (int i = 0; i < d; i++) wk.setFlat(o * d + i, fused.getFlat(i * 3 * d + k * d + o));
            bk.setFlat(o, fusedBias.getFlat(k * d + o));
          }
          out.put(p + "attention.self." + qkv[k] + ".weight", wk);
          out.put(p + "attention.self." + qkv[k] + ".bias", bk);
        }
        out.put(p + "attention.output.dense.weight", transpose(take(h + "attn.c_proj.weight", d, d)));
        out.put(p + "attention.output.dense.bias", take(h + "attn.c_proj.bias", d));
        out.put(p + "output.LayerNorm.weight", take(h + "ln_2.weight", d));
        out.put(p + "output.LayerNorm.bias", take(h + "ln_2.bias", d));
        out.put(p + "intermediate.dense.weight", transpose(take(h + "mlp.c_fc.weight", d, r)));
        out.put(p + "intermediate.dense.bias", take(h + "mlp.c_fc.bias", r));
        out.put(p + "output.dense.weight", transpose(take(h + "mlp.c_proj.weight", r, d)));
        out.put(p + "output.dense.bias", take(h + "mlp.c_proj.bias", d));
      }
      out.put("encoder.LayerNorm.weight", take("ln_f.weight", d));
      out.put("encoder.LayerNorm.bias", take("ln_f.bias", d));
      Tensor head;
      if (tied) {
        Tensor stored = hf.containsKey("lm_head.weight") ? take("lm_head.weight", c.vocabSize(), d) : null;
        if (stored != null && !sameBits(stored, wte)) {
          throw new IllegalArgumentException(source + ": tensor 'lm_head.weight' differs from wte although "
              + "config.json ties them (tie_word_embeddings true)");
        }
        head = wte.copy();
      } else {
        head = take("lm_head.weight", c.vocabSize(), d);
      }
      out.put("lm_head.weight", head);
      out.put("lm_head.bias", Tensor.zeros(c.dtype(), c.vocabSize()));
      return out;
    }

    private boolean expected(String name) {
      if (name.equals("lm_head.weight")) return true;
      if (name.matches("(wte|wpe)\\.weight|ln_f\\.(weight|bias)")) return true;
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("h\\.(\\d{1,9})\\.(ln_1|ln_2|attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.(weight|bias)")
          .matcher(name);
      return m.matches() && Integer.parseInt(m.group(1)) < c.layers();
    }

    private Tensor take(String name, int... shape) {
      Tensor t = hf.remove(name);
      if (t == null) throw new IllegalArgumentException(source + ": missing tensor '" + name + "' (GPT-2)");
      if (!Arrays.equals(t.shape(), shape)) {
        throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
            + ", config.json needs " + Arrays.toString(shape));
      }
      return t;
    }
  }
}
