package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * What Hugging Face + PEFT compute with an adapter folder, written out token by token in plain double arithmetic
 * from the base model's weights and the folder's raw tensors, without PTLab's adapter reader or hooks: a soft prompt
 * is prepended to {@code inputs_embeds} (positions 0…), a prefix is {@code past_key_values} (every query sees it,
 * and the input's positions start at m_p unless {@code positionsAfterPrefix} is false), LoRA adds
 * (α/r)·B·A·x (α/√r with rsLoRA) to a module's output, and a head from {@code modules_to_save} replaces the model's.
 * The head reads PTLab's pooling (no BERT pooler: see the README), over input positions only.
 */
final class PeftReference {
  private final Map<String, double[][]> w = new HashMap<>();
  private final Map<String, double[]> b = new HashMap<>();
  private final TransformerConfig c;
  private double[][] prompt; // [m_p, d] or null
  private double[][] prefix; // [m_p, L·2·w] or null
  private boolean positionsAfterPrefix = true;
  private final Map<String, double[][][]> lora = new HashMap<>(); // module → {A [r, in], B [out, r]}
  private double loraScale;
  private PeftGpt2Reference gpt2; // a LoRA in GPT-2's names, or null

  /** The reference for {@code model} with the adapter in {@code dir} (adapter_config.json + safetensors). */
  static PeftReference of(Transformer model, Path dir) throws IOException {
    PeftReference r = new PeftReference(model);
    if (PeftGpt2Reference.isGpt2(dir)) { // GPT-2's names: computed in GPT-2's own layout
      r.gpt2 = PeftGpt2Reference.of(model, dir);
      return r;
    }
    JsonNode cfg = AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
    String type = cfg.path("peft_type").asText();
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      for (String key : f.names()) {
        Tensor t = f.tensor(key, DType.F64);
        if (key.equals("prompt_embeddings")) {
          if (type.equals("PROMPT_TUNING")) r.prompt = matrix(t);
          else r.prefix = matrix(t);
        } else if (key.contains(".lora_A.") || key.contains(".lora_B.")) {
          String stem = key.substring(0, key.indexOf(".lora_"));
          String module = stem.substring(stem.indexOf("encoder.layer.")); // after any wrapper prefix
          double[][][] ab = r.lora.computeIfAbsent(module, k -> new double[2][][]);
          ab[key.contains(".lora_A.") ? 0 : 1] = matrix(t);
        } else { // a head from modules_to_save: base_model[.model].classifier.weight → classifier.weight
          String name = key.replaceFirst("^base_model\\.(model\\.)?", "");
          if (t.rank() == 2) r.w.put(name, matrix(t));
          else r.b.put(name, t.toDoubleArray());
        }
      }
    }
    if (type.equals("LORA")) {
      double rank = cfg.get("r").asDouble();
      double alpha = cfg.get("lora_alpha").asDouble();
      r.loraScale = cfg.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(rank) : alpha / rank;
    }
    JsonNode ptlab = cfg.get("ptlab");
    if (ptlab != null) r.positionsAfterPrefix = ptlab.path(org.ptlab.tuning.prefix.PrefixTuning.POSITIONS_FIELD).asBoolean(false);
    return r;
  }

  private PeftReference(Transformer model) {
    this.c = model.config();
    for (Map.Entry<String, Tensor> e : model.parameters().all().entrySet()) {
      if (e.getValue().rank() == 2) w.put(e.getKey(), matrix(e.getValue()));
      else b.put(e.getKey(), e.getValue().toDoubleArray());
    }
  }

  /** Start the input's positions at 0 after a prefix (PTLab before format 2) instead of at m_p. */
  PeftReference positionsFromZero() {
    positionsAfterPrefix = false;
    return this;
  }

  static double[][] matrix(Tensor t) {
    double[] flat = t.toDoubleArray();
    double[][] m = new double[t.dim(0)][t.dim(1)];
    for (int i = 0; i < m.length; i++) System.arraycopy(flat, i * m[0].length, m[i], 0, m[0].length);
    return m;
  }

  /** The head's output for one sequence: logits [C] (classifier), [T][V] (LM) or hidden states [T][d]. */
  double[][] forward(int[] ids) {
    if (gpt2 != null) return gpt2.forward(ids);
    double[][] h = encode(ids);
    return switch (c.head()) {
      case CLASSIFY -> {
        double[] pooled = new double[c.dModel()];
        if (c.pooling() == TransformerConfig.Pooling.FIRST) pooled = h[0];
        else for (double[] row : h) for (int j = 0; j < pooled.length; j++) pooled[j] += row[j] / h.length;
        yield new double[][] {linear("classifier", pooled)};
      }
      case LM -> {
        double[][] out = new double[h.length][];
        for (int i = 0; i < h.length; i++) out[i] = linear("lm_head", h[i]);
        yield out;
      }
      case REGRESS -> {
        double[][] out = new double[h.length][];
        for (int i = 0; i < h.length; i++) out[i] = linear("regressor", h[i]);
        yield out;
      }
      case NONE -> h;
    };
  }

  /** Final hidden states at the input positions. */
  private double[][] encode(int[] ids) {
    int mp = prompt == null ? 0 : prompt.length;
    int t = mp + ids.length;
    int offset = prefix != null && positionsAfterPrefix ? prefix.length : 0;
    double[][] x = new double[t][];
    for (int j = 0; j < t; j++) {
      x[j] = j < mp ? prompt[j].clone() : w.get("embeddings.word_embeddings.weight")[ids[j - mp]].clone();
      if (c.positional() == TransformerConfig.Positional.LEARNED) {
        x[j] = add(x[j], w.get("embeddings.position_embeddings.weight")[offset + j]);
      }
      if (c.typeVocabSize() > 0) x[j] = add(x[j], w.get("embeddings.token_type_embeddings.weight")[0]);
      if (c.embeddingNorm()) x[j] = layerNorm("embeddings.LayerNorm", x[j]);
    }
    int width = c.attentionWidth();
    int np = prefix == null ? 0 : prefix.length;
    for (int l = 0; l < c.layers(); l++) {
      String pre = "encoder.layer." + l + ".";
      boolean preLn = c.norm() == NormPlacement.PRE;
      double[][] in = new double[t][];
      for (int j = 0; j < t; j++) in[j] = preLn ? layerNorm(pre + "attention.output.LayerNorm", x[j]) : x[j];
      double[][] keys = new double[np + t][];
      double[][] values = new double[np + t][];
      for (int j = 0; j < np; j++) { // PEFT's layout: columns [2l·w, (2l+1)·w) are keys, the next w values
        keys[j] = java.util.Arrays.copyOfRange(prefix[j], 2 * l * width, (2 * l + 1) * width);
        values[j] = java.util.Arrays.copyOfRange(prefix[j], (2 * l + 1) * width, (2 * l + 2) * width);
      }
      for (int j = 0; j < t; j++) {
        keys[np + j] = linear(pre + "attention.self.key", in[j]);
        values[np + j] = linear(pre + "attention.self.value", in[j]);
      }
      double[][] h = new double[t][];
      for (int i = 0; i < t; i++) {
        double[] q = linear(pre + "attention.self.query", in[i]);
        double[] heads = new double[width];
        int seen = np + (c.causal() ? i + 1 : t);
        for (int hd = 0; hd < c.heads(); hd++) {
          int from = hd * c.headSize();
          double[] logits = new double[seen];
          for (int j = 0; j < seen; j++) {
            for (int s = 0; s < c.headSize(); s++) logits[j] += c.scoreScale() * q[from + s] * keys[j][from + s];
          }
          double[] p = softmax(logits);
          for (int j = 0; j < seen; j++) for (int s = 0; s < c.headSize(); s++) heads[from + s] += p[j] * values[j][from + s];
        }
        double[] sum = add(x[i], linear(pre + "attention.output.dense", heads));
        h[i] = c.norm() == NormPlacement.POST ? layerNorm(pre + "attention.output.LayerNorm", sum) : sum;
      }
      for (int i = 0; i < t; i++) {
        double[] z = preLn ? layerNorm(pre + "output.LayerNorm", h[i]) : h[i];
        double[] hidden = linear(pre + "intermediate.dense", z);
        for (int r = 0; r < hidden.length; r++) hidden[r] = act(hidden[r]);
        double[] sum = add(h[i], linear(pre + "output.dense", hidden));
        x[i] = c.norm() == NormPlacement.POST ? layerNorm(pre + "output.LayerNorm", sum) : sum;
      }
    }
    if (c.norm() == NormPlacement.PRE) for (int i = 0; i < t; i++) x[i] = layerNorm("encoder.LayerNorm", x[i]);
    return java.util.Arrays.copyOfRange(x, mp, t);
  }

  private double[] linear(String module, double[] x) {
    double[] y = matVec(w.get(module + ".weight"), x);
    if (b.containsKey(module + ".bias")) y = add(y, b.get(module + ".bias"));
    double[][][] ab = lora.get(module);
    if (ab != null) {
      double[] update = matVec(ab[1], matVec(ab[0], x));
      for (int i = 0; i < y.length; i++) y[i] += loraScale * update[i];
    }
    return y;
  }

  private double[] layerNorm(String name, double[] x) {
    double mean = 0;
    for (double v : x) mean += v / x.length;
    double var = 0;
    for (double v : x) var += (v - mean) * (v - mean) / x.length;
    double[] gain = b.get(name + ".weight");
    double[] shift = b.get(name + ".bias");
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + c.layerNormEps()) * gain[i] + shift[i];
    return y;
  }

  private double act(double v) {
    return c.activation() == TransformerConfig.Activation.RELU ? Math.max(0, v) : v * normalCdf(v);
  }

  /** Φ(x) by composite Simpson on the normal density (independent of the engine's erf), error far below 1e-12. */
  static double normalCdf(double x) {
    double a = Math.min(Math.abs(x), 9);
    int n = 2 * (int) Math.ceil(a * 4000 + 1);
    double h = a / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double t = i * h;
      s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.exp(-t * t / 2);
    }
    double half = s * h / 3 / Math.sqrt(2 * Math.PI);
    return x >= 0 ? 0.5 + half : 0.5 - half;
  }

  private static double[] matVec(double[][] m, double[] x) {
    double[] y = new double[m.length];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < x.length; j++) y[i] += m[i][j] * x[j];
    return y;
  }

  private static double[] add(double[] a, double[] c) {
    double[] y = a.clone();
    for (int i = 0; i < y.length; i++) y[i] += c[i];
    return y;
  }

  private static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) max = Math.max(max, v);
    double sum = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
    for (int i = 0; i < z.length; i++) p[i] /= sum;
    return p;
  }
}
