package org.ptlab.theory.wang2023;

import static org.ptlab.theory.wang2023.LinAlg.add;
import static org.ptlab.theory.wang2023.LinAlg.dot;
import static org.ptlab.theory.wang2023.LinAlg.logSumExp;
import static org.ptlab.theory.wang2023.LinAlg.matVec;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * The seeds' layer τ(X) = MLP(Att(X, X) + X), MLP(z) = z + W2·ReLU(W1·z + β1) + β2, read out of a real PTLab
 * {@link Transformer} as float64 matrices, with a float64 reference forward that the certificates reason about.
 * Tokens are rows (PTLab's convention); every matrix is stored [out][in], so W·x is the paper's column formula.
 *
 * <p>{@link #whyNot} lists the reasons a model is not of this form (the certificates refuse with them); a model
 * that passes is exactly the layer of spec wang2023.md §1.3, with any number of heads, the score scale kept
 * explicit (the paper folds 1/√d into W_K), and causal masking allowed (query i sees keys ≤ i).
 *
 * @param wq per head h, W_q^h [s][d]
 * @param wk per head, W_k^h [s][d]
 * @param wv per head, W_v^h [s][d]
 * @param wo per head, W_o^h [d][s]
 * @param scale the score scale (1 for the paper preset)
 * @param causal whether query i sees only keys ≤ i
 * @param w1 W1 [r][d]
 * @param beta1 the MLP's first bias b1 [r] (β1 here: b_i names attention outputs in spec §2.2)
 * @param w2 W2 [d][r]
 * @param beta2 the MLP's second bias b2 [d]
 */
public record PaperLayer(double[][][] wq, double[][][] wk, double[][][] wv, double[][][] wo, double scale,
    boolean causal, double[][] w1, double[] beta1, double[][] w2, double[] beta2) {

  private static final String L0 = "encoder.layer.0.";

  /** Why {@code c} is not the paper's layer (empty when it is). Each reason is one short clause. */
  public static List<String> whyNot(TransformerConfig c) {
    List<String> r = new ArrayList<>();
    if (c.layers() != 1) r.add("layers = " + c.layers() + ": the claim is about a single layer");
    if (c.norm() != TransformerConfig.NormPlacement.NONE) r.add("layer norm (" + c.norm() + ") inside the block");
    if (c.embeddingNorm()) r.add("a layer norm on the embeddings, before attention");
    if (c.positional() != TransformerConfig.Positional.NONE) {
      r.add("positional embeddings (" + c.positional() + ") are added after the prompt is inserted");
    }
    if (c.vocabSize() > 0) r.add("the model reads token ids; these certificates take vector inputs");
    if (c.activation() != TransformerConfig.Activation.RELU) r.add("MLP activation " + c.activation() + ", not ReLU");
    if (c.attentionBias()) r.add("attention biases (not handled by this implementation)");
    if (c.head() != TransformerConfig.Head.NONE) r.add("output head " + c.head() + " after the layer");
    return r;
  }

  /** The layer of {@code model}; an error listing {@link #whyNot} when it is not of the paper's form. */
  public static PaperLayer of(Transformer model) {
    TransformerConfig c = model.config();
    List<String> why = whyNot(c);
    if (!why.isEmpty()) throw new IllegalArgumentException("model is not the paper's layer: " + String.join("; ", why));
    int h = c.heads();
    int s = c.headSize();
    double[][] q = matrix(model, "attention.self.query.weight");
    double[][] k = matrix(model, "attention.self.key.weight");
    double[][] v = matrix(model, "attention.self.value.weight");
    double[][] o = matrix(model, "attention.output.dense.weight"); // [d][h·s]
    double[][][] wq = new double[h][][];
    double[][][] wk = new double[h][][];
    double[][][] wv = new double[h][][];
    double[][][] wo = new double[h][][];
    for (int i = 0; i < h; i++) {
      wq[i] = java.util.Arrays.copyOfRange(q, i * s, (i + 1) * s);
      wk[i] = java.util.Arrays.copyOfRange(k, i * s, (i + 1) * s);
      wv[i] = java.util.Arrays.copyOfRange(v, i * s, (i + 1) * s);
      wo[i] = new double[o.length][];
      for (int r = 0; r < o.length; r++) wo[i][r] = java.util.Arrays.copyOfRange(o[r], i * s, (i + 1) * s);
    }
    return new PaperLayer(wq, wk, wv, wo, c.scoreScale(), c.causal(), matrix(model, "intermediate.dense.weight"),
        vector(model, "intermediate.dense.bias"), matrix(model, "output.dense.weight"), vector(model, "output.dense.bias"));
  }

  /** The name of the MLP output module (LoRA's {@code --targets mlp_out} on this layer). */
  public static String mlpOutModule() {
    return L0 + "output.dense";
  }

  private static double[][] matrix(Transformer model, String name) {
    Tensor t = model.parameters().get(L0 + name);
    double[][] m = new double[t.dim(0)][t.dim(1)];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) m[i][j] = t.get(i, j);
    return m;
  }

  private static double[] vector(Transformer model, String name) {
    return model.parameters().get(L0 + name).toDoubleArray();
  }

  public int heads() {
    return wq.length;
  }

  /** Token width d. */
  public int d() {
    return w2.length;
  }

  /** MLP hidden width r. */
  public int r() {
    return w1.length;
  }

  /** Head h's logits s(z_j) = scale·(W_k z_j)ᵀ W_q x for every row z_j of {@code keys}. */
  public double[] logits(int h, double[] x, double[][] keys) {
    double[] q = matVec(wq[h], x);
    double[] s = new double[keys.length];
    for (int j = 0; j < keys.length; j++) s[j] = scale * dot(matVec(wk[h], keys[j]), q);
    return s;
  }

  /** log Z = log Σ_j e^{s(z_j)} for head h (the partition sum that λ compares; −∞ for no keys). */
  public double logPartition(int h, double[] x, double[][] keys) {
    return logSumExp(logits(h, x, keys));
  }

  /** One head's Att^h(x, Z) = W_o^h W_v^h Z·softmax(s): a convex combination of the W_o^h W_v^h z_j. */
  public double[] headAttention(int h, double[] x, double[][] keys) {
    double[] s = logits(h, x, keys);
    double lse = logSumExp(s);
    double[] mix = new double[wv[h].length];
    for (int j = 0; j < keys.length; j++) mix = LinAlg.axpy(mix, Math.exp(s[j] - lse), matVec(wv[h], keys[j]));
    return matVec(wo[h], mix);
  }

  /** Att(x, Z) = Σ_h Att^h(x, Z) [d]. */
  public double[] attention(double[] x, double[][] keys) {
    double[] out = new double[d()];
    for (int h = 0; h < heads(); h++) out = add(out, headAttention(h, x, keys));
    return out;
  }

  /** The keys query {@code i} of {@code seq} sees: all rows, or rows ≤ i when causal. */
  public double[][] context(double[][] seq, int i) {
    return causal ? java.util.Arrays.copyOf(seq, i + 1) : seq;
  }

  /** ReLU(W1·z + β1) [r]. */
  public double[] hidden(double[] z) {
    double[] a = add(matVec(w1, z), beta1);
    for (int i = 0; i < a.length; i++) a[i] = Math.max(0, a[i]);
    return a;
  }

  /** The residual branch g(z) = W2·ReLU(W1·z + β1) + β2. */
  public double[] g(double[] z) {
    return add(matVec(w2, hidden(z)), beta2);
  }

  /** MLP(z) = z + g(z). */
  public double[] mlp(double[] z) {
    return add(z, g(z));
  }

  /** The pre-MLP vectors z_i = x_i + Att(x_i, [P, X]) at the input positions [m][d]; P may have 0 rows. */
  public double[][] preMlp(double[][] prompt, double[][] x) {
    double[][] seq = concat(prompt, x);
    double[][] z = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      int at = prompt.length + i;
      z[i] = add(x[i], attention(seq[at], context(seq, at)));
    }
    return z;
  }

  /** τ([P, X]) at the input positions [m][d] (the prompted forward, output read at the inputs only). */
  public double[][] forward(double[][] prompt, double[][] x) {
    double[][] z = preMlp(prompt, x);
    for (int i = 0; i < z.length; i++) z[i] = mlp(z[i]);
    return z;
  }

  /** [P; X] by rows. */
  static double[][] concat(double[][] p, double[][] x) {
    double[][] seq = new double[p.length + x.length][];
    System.arraycopy(p, 0, seq, 0, p.length);
    System.arraycopy(x, 0, seq, p.length, x.length);
    return seq;
  }
}
