package org.ptlab.io.model;

import java.util.Map;
import org.ptlab.tensor.Tensor;

/**
 * GPT-2's forward pass written from Hugging Face's modeling_gpt2 directly on the HF tensors (Conv1D x·W + b with
 * W [in, out], c_attn split into q | k | v, gelu_new, causal softmax, ln_f, logits = h·wteᵀ or h·lm_headᵀ), in
 * plain double loops and with no PTLab model code: the independent check of the name and layout mapping.
 */
final class Gpt2Reference {
  private final Map<String, Tensor> w;
  private final String p;
  private final int d;
  private final int heads;
  private final int layers;
  private final boolean scaled;
  private final String act;
  private final double eps;

  Gpt2Reference(Map<String, Tensor> w, String prefix, int heads, int layers, boolean scaled, String act, double eps) {
    this.w = w;
    this.p = prefix;
    this.d = w.get(prefix + "wte.weight").dim(1);
    this.heads = heads;
    this.layers = layers;
    this.scaled = scaled;
    this.act = act;
    this.eps = eps;
  }

  /** Logits [T][V] for one sequence. */
  double[][] logits(int[] ids) {
    int t = ids.length;
    double[][] x = new double[t][d];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < d; j++) x[i][j] = get("wte.weight", ids[i] * d + j) + get("wpe.weight", i * d + j);
    }
    for (int l = 0; l < layers; l++) {
      String h = "h." + l + ".";
      double[][] a = norm(x, h + "ln_1");
      double[][] qkv = conv1d(a, h + "attn.c_attn");
      double[][] merged = attention(qkv);
      add(x, conv1d(merged, h + "attn.c_proj"));
      double[][] m = conv1d(norm(x, h + "ln_2"), h + "mlp.c_fc");
      for (double[] row : m) for (int j = 0; j < row.length; j++) row[j] = activation(row[j]);
      add(x, conv1d(m, h + "mlp.c_proj"));
    }
    double[][] f = norm(x, "ln_f");
    Tensor head = w.containsKey("lm_head.weight") ? w.get("lm_head.weight") : w.get(p + "wte.weight");
    int vocab = head.dim(0);
    double[][] out = new double[t][vocab];
    for (int i = 0; i < t; i++) {
      for (int v = 0; v < vocab; v++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += f[i][j] * head.getFlat(v * d + j);
        out[i][v] = s;
      }
    }
    return out;
  }

  private double[][] attention(double[][] qkv) {
    int t = qkv.length;
    int s = d / heads;
    double[][] out = new double[t][d];
    for (int hh = 0; hh < heads; hh++) {
      for (int i = 0; i < t; i++) {
        double[] score = new double[i + 1]; // causal: keys 0..i
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double dot = 0;
          for (int c = 0; c < s; c++) dot += qkv[i][hh * s + c] * qkv[j][d + hh * s + c];
          score[j] = scaled ? dot / Math.sqrt(s) : dot;
          max = Math.max(max, score[j]);
        }
        double z = 0;
        for (int j = 0; j <= i; j++) z += score[j] = Math.exp(score[j] - max);
        for (int j = 0; j <= i; j++) {
          for (int c = 0; c < s; c++) out[i][hh * s + c] += score[j] / z * qkv[j][2 * d + hh * s + c];
        }
      }
    }
    return out;
  }

  private double activation(double x) {
    return switch (act) {
      case "gelu_new" -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case "relu" -> Math.max(0, x);
      default -> throw new IllegalArgumentException(act);
    };
  }

  /** x·W + b with W [in, out]. */
  private double[][] conv1d(double[][] x, String name) {
    Tensor wt = w.get(p + name + ".weight");
    Tensor b = w.get(p + name + ".bias");
    int in = wt.dim(0);
    int out = wt.dim(1);
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = b.getFlat(o);
        for (int k = 0; k < in; k++) s += x[i][k] * wt.getFlat(k * out + o);
        y[i][o] = s;
      }
    }
    return y;
  }

  private double[][] norm(double[][] x, String name) {
    double[][] y = new double[x.length][d];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (double v : x[i]) mean += v / d;
      double var = 0;
      for (double v : x[i]) var += (v - mean) * (v - mean) / d;
      for (int j = 0; j < d; j++) {
        y[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * get(name + ".weight", j) + get(name + ".bias", j);
      }
    }
    return y;
  }

  private static void add(double[][] x, double[][] y) {
    for (int i = 0; i < x.length; i++) for (int j = 0; j < x[i].length; j++) x[i][j] += y[i][j];
  }

  private double get(String name, int i) {
    return w.get(p + name).getFlat(i);
  }
}
