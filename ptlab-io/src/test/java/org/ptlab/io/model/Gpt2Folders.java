package org.ptlab.io.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.Json;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Small random GPT-2 folders written the way {@code save_pretrained} writes them (HF config fields, Conv1D [in, out]
 * weights, fused c_attn), with no PTLab code involved, so that loading them tests the mapping.
 */
final class Gpt2Folders {
  static final int VOCAB = 40;
  static final int POSITIONS = 12;
  static final int D = 16;
  static final int LAYERS = 2;
  static final int HEADS = 4;
  static final int INNER = 24;

  /** What to vary. */
  record Layout(boolean lmHeadModel, boolean lmHeadTensor, boolean tied, boolean buffers, String activation,
      boolean scaled) {
    static Layout lmHead() {
      return new Layout(true, false, true, false, "gelu_new", true);
    }
  }

  private Gpt2Folders() {}

  static Map<String, Object> config(Layout l) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("_name_or_path", "gpt2");
    c.put("activation_function", l.activation());
    c.put("architectures", List.of(l.lmHeadModel() ? "GPT2LMHeadModel" : "GPT2Model"));
    c.put("attn_pdrop", 0.1);
    c.put("bos_token_id", VOCAB - 1);
    c.put("embd_pdrop", 0.1);
    c.put("eos_token_id", VOCAB - 1);
    c.put("initializer_range", 0.02);
    c.put("layer_norm_epsilon", 1e-5);
    c.put("model_type", "gpt2");
    c.put("n_ctx", POSITIONS);
    c.put("n_embd", D);
    c.put("n_head", HEADS);
    c.put("n_inner", INNER);
    c.put("n_layer", LAYERS);
    c.put("n_positions", POSITIONS);
    c.put("reorder_and_upcast_attn", false);
    c.put("resid_pdrop", 0.1);
    c.put("scale_attn_by_inverse_layer_idx", false);
    c.put("scale_attn_weights", l.scaled());
    c.put("summary_activation", null);
    c.put("summary_first_dropout", 0.1);
    c.put("summary_proj_to_labels", true);
    c.put("summary_type", "cls_index");
    c.put("summary_use_proj", true);
    c.put("task_specific_params", Map.of("text-generation", Map.of("do_sample", true, "max_length", 50)));
    c.put("tie_word_embeddings", l.tied());
    c.put("torch_dtype", "float32");
    c.put("transformers_version", "4.40.0");
    c.put("use_cache", true);
    c.put("vocab_size", VOCAB);
    return c;
  }

  /** Random HF tensors (names with the {@code transformer.} prefix of GPT2LMHeadModel, Conv1D layouts). */
  static Map<String, Tensor> tensors(Layout l, long seed) {
    Rng rng = new Rng(seed);
    String p = l.lmHeadModel() ? "transformer." : "";
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put(p + "wte.weight", randn(rng, 0.5, VOCAB, D));
    w.put(p + "wpe.weight", randn(rng, 0.3, POSITIONS, D));
    for (int i = 0; i < LAYERS; i++) {
      String h = p + "h." + i + ".";
      w.put(h + "ln_1.weight", affineish(rng, D));
      w.put(h + "ln_1.bias", randn(rng, 0.1, D));
      if (l.buffers()) {
        w.put(h + "attn.bias", Tensor.ones(DType.F32, 1, 1, POSITIONS, POSITIONS)); // the causal mask buffer
        w.put(h + "attn.masked_bias", Tensor.scalar(DType.F32, -1e4));
      }
      w.put(h + "attn.c_attn.weight", randn(rng, 0.3, D, 3 * D));
      w.put(h + "attn.c_attn.bias", randn(rng, 0.1, 3 * D));
      w.put(h + "attn.c_proj.weight", randn(rng, 0.3, D, D));
      w.put(h + "attn.c_proj.bias", randn(rng, 0.1, D));
      w.put(h + "ln_2.weight", affineish(rng, D));
      w.put(h + "ln_2.bias", randn(rng, 0.1, D));
      w.put(h + "mlp.c_fc.weight", randn(rng, 0.3, D, INNER));
      w.put(h + "mlp.c_fc.bias", randn(rng, 0.1, INNER));
      w.put(h + "mlp.c_proj.weight", randn(rng, 0.3, INNER, D));
      w.put(h + "mlp.c_proj.bias", randn(rng, 0.1, D));
    }
    w.put(p + "ln_f.weight", affineish(rng, D));
    w.put(p + "ln_f.bias", randn(rng, 0.1, D));
    if (l.lmHeadTensor()) w.put("lm_head.weight", l.tied() ? w.get(p + "wte.weight").copy() : randn(rng, 0.5, VOCAB, D));
    return w;
  }

  static Path write(Path dir, Layout l, Map<String, Tensor> w) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), Json.pretty(config(l)));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), w, Map.of("format", "pt"));
    return dir;
  }

  private static Tensor randn(Rng rng, double std, int... shape) {
    return Tensor.randn(rng, DType.F32, std, shape);
  }

  /** Layer-norm gains around 1. */
  private static Tensor affineish(Rng rng, int n) {
    return Tensor.rand(rng, DType.F32, 0.5, 1.5, n);
  }
}
