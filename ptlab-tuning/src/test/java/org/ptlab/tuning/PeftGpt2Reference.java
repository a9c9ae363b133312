package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.ptlab.io.model.HfGpt2Weights;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * What GPT2LMHeadModel + PEFT's LoRA compute, in GPT-2's own layout, token by token in plain double arithmetic: the
 * base model as GPT-2's tensors (Conv1D weights [in, out], x·W + b; the fused c_attn [d, 3d] whose output is split
 * into query, key and value), and on every module with a LoRA in the folder, + scaling·B·A·x with PEFT's scaling
 * (lora_alpha / r, or / √r with use_rslora; rank_pattern and alpha_pattern by module-name suffix). Nothing here
 * splits c_attn's LoRA or uses PTLab's adapter reader: it is the check on both.
 */
final class PeftGpt2Reference {
  private final Map<String, double[][]> w = new HashMap<>(); // GPT-2 names, as stored
  private final Map<String, double[]> b = new HashMap<>();
  private final Map<String, double[][][]> lora = new HashMap<>(); // "h.L.attn.c_attn" → {A, B}
  private final Map<String, Double> scaling = new HashMap<>();
  private final TransformerConfig c;
  private final boolean tied;

  static PeftGpt2Reference of(Transformer model, Path dir) throws IOException {
    return new PeftGpt2Reference(model, dir);
  }

  /** Whether a folder's LoRA keys name GPT-2 modules. */
  static boolean isGpt2(Path dir) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      return f.names().stream().anyMatch(k -> k.startsWith("base_model.model.transformer.h."));
    }
  }

  private PeftGpt2Reference(Transformer model, Path dir) throws IOException {
    c = model.config();
    Map<String, Tensor> params = model.parameters().all();
    tied = HfGpt2Weights.isTied(params);
    for (Map.Entry<String, Tensor> e : HfGpt2Weights.write(params, c, tied).entrySet()) {
      String name = e.getKey().replaceFirst("^transformer\\.", "");
      if (e.getValue().rank() == 2) w.put(name, PeftReference.matrix(e.getValue()));
      else b.put(name, e.getValue().toDoubleArray());
    }
    JsonNode cfg = AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      for (String key : f.names()) {
        String module = key.replaceFirst("^base_model\\.model\\.transformer\\.", "").replaceFirst("\\.lora_[AB]\\.weight$", "");
        double[][][] ab = lora.computeIfAbsent(module, k -> new double[2][][]);
        ab[key.contains(".lora_A.") ? 0 : 1] = PeftReference.matrix(f.tensor(key, DType.F64));
        double r = pattern(cfg.get("rank_pattern"), "transformer." + module, cfg.get("r").asDouble());
        double alpha = pattern(cfg.get("alpha_pattern"), "transformer." + module, cfg.get("lora_alpha").asDouble());
        scaling.put(module, cfg.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(r) : alpha / r);
      }
    }
  }

  /** PEFT's get_pattern_key: the first key k with re.match(rf"(.*\.)?({k})$", module). */
  private static double pattern(JsonNode patterns, String module, double otherwise) {
    if (patterns == null || !patterns.isObject()) return otherwise;
    for (Iterator<Map.Entry<String, JsonNode>> it = patterns.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")").matcher(module).matches()) return e.getValue().asDouble();
    }
    return otherwise;
  }

  /** Next-token logits [T][V]. */
  double[][] forward(int[] ids) {
    int t = ids.length;
    int d = c.dModel();
    double[][] h = new double[t][];
    for (int i = 0; i < t; i++) h[i] = add(w.get("wte.weight")[ids[i]], w.get("wpe.weight")[i]);
    for (int l = 0; l < c.layers(); l++) {
      String p = "h." + l + ".";
      double[][] q = new double[t][];
      double[][] k = new double[t][];
      double[][] v = new double[t][];
      for (int i = 0; i < t; i++) {
        double[] qkv = conv1d(p + "attn.c_attn", layerNorm(p + "ln_1", h[i])); // [3d]: query, key, value
        q[i] = java.util.Arrays.copyOfRange(qkv, 0, d);
        k[i] = java.util.Arrays.copyOfRange(qkv, d, 2 * d);
        v[i] = java.util.Arrays.copyOfRange(qkv, 2 * d, 3 * d);
      }
      double[][] next = new double[t][];
      for (int i = 0; i < t; i++) {
        double[] heads = new double[d];
        for (int hd = 0; hd < c.heads(); hd++) {
          int from = hd * c.headSize();
          double[] logits = new double[i + 1]; // causal: positions 0..i
          for (int j = 0; j <= i; j++) {
            for (int s = 0; s < c.headSize(); s++) logits[j] += c.scoreScale() * q[i][from + s] * k[j][from + s];
          }
          double max = Double.NEGATIVE_INFINITY;
          for (double z : logits) max = Math.max(max, z);
          double sum = 0;
          for (int j = 0; j <= i; j++) sum += logits[j] = Math.exp(logits[j] - max);
          for (int j = 0; j <= i; j++) for (int s = 0; s < c.headSize(); s++) heads[from + s] += logits[j] / sum * v[j][from + s];
        }
        next[i] = add(h[i], conv1d(p + "attn.c_proj", heads));
      }
      for (int i = 0; i < t; i++) {
        double[] hidden = conv1d(p + "mlp.c_fc", layerNorm(p + "ln_2", next[i]));
        for (int j = 0; j < hidden.length; j++) hidden[j] = gelu(hidden[j]);
        h[i] = add(next[i], conv1d(p + "mlp.c_proj", hidden));
      }
    }
    double[][] out = new double[t][];
    for (int i = 0; i < t; i++) {
      double[] x = layerNorm("ln_f", h[i]);
      double[][] head = tied ? w.get("wte.weight") : w.get("lm_head.weight"); // [V, d]: logits = head·x, no bias
      out[i] = new double[head.length];
      for (int o = 0; o < head.length; o++) for (int j = 0; j < d; j++) out[i][o] += head[o][j] * x[j];
    }
    return out;
  }

  /** GPT-2's Conv1D: y = x·W + b (W [in, out]), plus PEFT's scaling·B·(A·x) when the module has a LoRA. */
  private double[] conv1d(String module, double[] x) {
    double[][] weight = w.get(module + ".weight");
    double[] y = b.get(module + ".bias").clone();
    for (int i = 0; i < x.length; i++) for (int o = 0; o < y.length; o++) y[o] += x[i] * weight[i][o];
    double[][][] ab = lora.get(module);
    if (ab != null) {
      double[] ax = new double[ab[0].length];
      for (int r = 0; r < ax.length; r++) for (int i = 0; i < x.length; i++) ax[r] += ab[0][r][i] * x[i];
      for (int o = 0; o < y.length; o++) {
        double u = 0;
        for (int r = 0; r < ax.length; r++) u += ab[1][o][r] * ax[r];
        y[o] += scaling.get(module) * u;
      }
    }
    return y;
  }

  private double[] layerNorm(String name, double[] x) {
    double mean = 0;
    for (double v : x) mean += v / x.length;
    double var = 0;
    for (double v : x) var += (v - mean) * (v - mean) / x.length;
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] - mean) / Math.sqrt(var + c.layerNormEps()) * b.get(name + ".weight")[i] + b.get(name + ".bias")[i];
    }
    return y;
  }

  private double gelu(double v) {
    return switch (c.activation()) {
      case RELU -> Math.max(0, v);
      case GELU -> v * PeftReference.normalCdf(v);
      case GELU_TANH -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
    };
  }

  private static double[] add(double[] x, double[] y) {
    double[] z = x.clone();
    for (int i = 0; i < z.length; i++) z[i] += y[i];
    return z;
  }
}
