package org.ptlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.prompt.PromptTuning;

/**
 * The peer: the same steps as {@link PtlabWorkloads}, line by line, with libtorch's kernels through DJL's NDArray
 * ops and autograd ({@link GradientCollector}; only one may be open per JVM). Each step runs inside an
 * {@link NDScope} that frees its intermediates; the Adam update ({@link TorchAdam}) runs after the scope and the
 * collector close, as spec/stack.md says. Attention is the math path (matmul, softmax, matmul), as torch's
 * nn.MultiheadAttention computes it when the fused kernel is not used; DJL exposes no fused SDPA.
 *
 * <p>The MiniLM workloads are ptlab-nn's bert preset written out here as Hugging Face's BertModel computes it
 * (embedding gather + positions 0…T−1 + token type 0, LN; per block: Q/K/V linears with biases, heads as
 * [B, 12, T, 32], softmax(QKᵀ/√32)V, output linear, residual + LN, exact-erf GELU FFN, residual + LN), with PEFT's
 * LoRA update y + scaling·(x·Aᵀ)·Bᵀ on the modules that have one, on the weights and initial values that
 * {@link Workloads#build} took from the PTLab model.
 */
public final class TorchWorkloads {
  private TorchWorkloads() {}

  /** A fresh training loop on {@code data} with arrays owned by {@code manager}. */
  public static Runner create(Workloads.Data data, NDManager manager) {
    return new Runner(data, manager);
  }

  /** Copies a PTLab tensor into an NDArray of the same dtype and shape. */
  static NDArray toNd(NDManager manager, Tensor t) {
    long[] shape = new long[t.rank()];
    for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
    NDArray a = t.dtype() == DType.F64 ? manager.create(t.toDoubleArray()) : manager.create(t.toFloatArray());
    return a.reshape(new Shape(shape));
  }

  /** One workload's training loop on libtorch. */
  public static final class Runner implements Workloads.Step {
    private final Workloads.Spec spec;
    private final Engine engine;
    private final NDManager manager;
    private final Map<String, NDArray> w = new HashMap<>();
    private final NDArray prompt; // P [m_p, d] (requires grad), or null
    private final List<NDArray> trainable = new ArrayList<>(); // in data.trainable() order, require grad
    private final List<TorchAdam> adams = new ArrayList<>();
    private final NDArray ids; // MiniLM kinds: token ids [B, m] (int64)
    private final NDArray oneHot; // labels as [B, C] one-hot rows (classification only)
    private final float layerNormEps;

    Runner(Workloads.Data data, NDManager manager) {
      this.spec = data.spec();
      this.manager = manager.newSubManager();
      this.engine = manager.getEngine();
      for (Map.Entry<String, Tensor> e : data.tensors().entrySet()) w.put(e.getKey(), toNd(this.manager, e.getValue()));
      for (String key : data.trainable()) {
        NDArray t = w.get(key);
        t.setRequiresGradient(true);
        trainable.add(t);
        adams.add(new TorchAdam(t, Workloads.LR));
      }
      if (spec.kind().model()) {
        this.prompt = spec.prompt() > 0 ? w.get(PromptTuning.KEY) : null;
        int[][] tokens = data.bert().tokens();
        long[] flat = new long[spec.batch() * spec.tokens()];
        for (int i = 0; i < tokens.length; i++) {
          for (int j = 0; j < tokens[i].length; j++) flat[i * spec.tokens() + j] = tokens[i][j];
        }
        this.ids = this.manager.create(flat).reshape(spec.batch(), spec.tokens());
        this.layerNormEps = (float) data.bert().model().config().layerNormEps();
      } else {
        this.prompt = w.get("P");
        this.ids = null;
        this.layerNormEps = 1e-5f;
      }
      int c = spec.classes();
      if (c > 0) {
        Tensor hot = Tensor.zeros(spec.dtype(), data.labels().length, c);
        for (int i = 0; i < data.labels().length; i++) hot.setFlat(i * c + data.labels()[i], 1.0);
        oneHot = toNd(this.manager, hot);
      } else {
        oneHot = null;
      }
    }

    @Override
    public double step() {
      double value;
      try (GradientCollector gc = engine.newGradientCollector(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray loss = forward();
        gc.backward(loss);
        value = loss.getDataType() == DataType.FLOAT64 ? loss.getDouble() : loss.getFloat();
      }
      for (TorchAdam adam : adams) adam.step();
      for (NDArray t : trainable) JniUtils.zeroGrad((PtNDArray) t);
      return value;
    }

    @Override
    public double[] gradient() {
      try (GradientCollector gc = engine.newGradientCollector(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        gc.backward(forward());
      }
      List<double[]> parts = new ArrayList<>();
      int n = 0;
      for (NDArray t : trainable) {
        try (NDArray grad = t.getGradient()) {
          double[] g = grad.toType(DataType.FLOAT64, false).toDoubleArray();
          parts.add(g);
          n += g.length;
        }
        JniUtils.zeroGrad((PtNDArray) t);
      }
      double[] out = new double[n];
      int at = 0;
      for (double[] g : parts) {
        System.arraycopy(g, 0, out, at, g.length);
        at += g.length;
      }
      return out;
    }

    @Override
    public void close() {
      manager.close();
    }

    private NDArray forward() {
      if (spec.kind().model()) return bertLoss();
      NDArray z = withPrompt(); // [B, T, d]
      return switch (spec.kind()) {
        case SEED -> seedLoss(z);
        case PRE_LN -> preLnLoss(z);
        case ATT_MLP -> attMlpLoss(z);
        case MINILM_PROMPT, MINILM_LORA -> throw new IllegalStateException("unreachable");
      };
    }

    /**
     * ptlab-nn's bert preset with a mean-pool classifier (Transformer.forward + OutputHead), then cross-entropy:
     * embeddings [P; E[ids]] + positions 0…T−1 + token type 0 → LN; 6 post-LN blocks; mean over the m input rows;
     * classifier.
     */
    private NDArray bertLoss() {
      NDArray words = w.get("embeddings.word_embeddings.weight");
      NDArray x = Embedding.embedding(ids, words, SparseFormat.DENSE).singletonOrThrow(); // [B, m, d]
      if (prompt != null) x = NDArrays.concat(new NDList(prompt.expandDims(0).broadcast(spec.batch(), spec.prompt(),
          spec.d()), x), 1); // [B, T, d]
      int t = spec.seq();
      x = x.add(w.get("embeddings.position_embeddings.weight").get("0:" + t)) // [T, d] over B
          .add(w.get("embeddings.token_type_embeddings.weight").get("0:1")); // type 0  [1, d]
      x = layerNorm(x, "embeddings.LayerNorm");
      for (int l = 0; l < spec.layers(); l++) {
        String p = "encoder.layer." + l + ".";
        NDArray att = bertAttention(x, p + "attention."); // [B, T, d]
        NDArray h = layerNorm(x.add(att), p + "attention.output.LayerNorm");
        NDArray ffn = module(Activation.gelu(module(h, p + "intermediate.dense")), p + "output.dense"); // exact erf
        x = layerNorm(h.add(ffn), p + "output.LayerNorm");
      }
      NDArray pooled = x.get(inputRows()).mean(new int[] {1}); // [B, d]
      NDArray logp = module(pooled, "classifier").logSoftmax(-1); // [B, C]
      return logp.mul(oneHot).sum().neg().div(spec.batch());
    }

    /** BertSelfAttention + the output dense: heads as [B, H, T, s], softmax(scale·Q Kᵀ) V, merged, W_o. */
    private NDArray bertAttention(NDArray x, String p) {
      long b = spec.batch();
      long t = spec.seq();
      int heads = spec.heads();
      long hs = spec.d() / heads;
      NDArray qh = module(x, p + "self.query").reshape(b, t, heads, hs).transpose(0, 2, 1, 3); // [B, H, T, s]
      NDArray kh = module(x, p + "self.key").reshape(b, t, heads, hs).transpose(0, 2, 3, 1); // [B, H, s, T]
      NDArray vh = module(x, p + "self.value").reshape(b, t, heads, hs).transpose(0, 2, 1, 3); // [B, H, T, s]
      NDArray s = qh.matMul(kh).mul(spec.scale()); // [B, H, T, T]
      NDArray o = s.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, spec.d()); // [B, T, d]
      return module(o, p + "output.dense");
    }

    /** The linear module {@code name} (weight and bias under Hugging Face names), plus its LoRA update if it has one. */
    private NDArray module(NDArray x, String name) {
      NDArray y = linear(x, name + ".weight", name + ".bias");
      String a = Lora.key(name, "lora_A");
      if (!w.containsKey(a)) return y;
      NDArray update = linear(linear(x, a, null), Lora.key(name, "lora_B"), null); // (x·Aᵀ)·Bᵀ  [.., out]
      return y.add(update.mul(Workloads.LORA.scaling()));
    }

    /** Z = [P; X] → [B, T, d]. */
    private NDArray withPrompt() {
      NDArray repeated = prompt.expandDims(0).broadcast(spec.batch(), spec.prompt(), spec.d());
      return NDArrays.concat(new NDList(repeated, w.get("X")), 1);
    }

    private NDArray seedLoss(NDArray z) {
      NDArray h = z.add(attention(z, "l0.", false)); // [B, T, d]
      NDArray mlp = linear(Activation.relu(linear(h, "l0.w1", "l0.b1")), "l0.w2", "l0.b2");
      NDArray out = h.add(mlp).get(inputRows()); // [B, m, d]
      return out.sub(w.get("Y")).square().mean();
    }

    private NDArray preLnLoss(NDArray x) {
      for (int l = 0; l < spec.layers(); l++) {
        String p = "l" + l + ".";
        NDArray h = x.add(attention(layerNorm(x, p + "ln1"), p, true)); // [B, T, d]
        NDArray mlp = linear(Activation.gelu(linear(layerNorm(h, p + "ln2"), p + "w1", p + "b1")), p + "w2", p + "b2");
        x = h.add(mlp);
      }
      return poolHeadLoss(layerNorm(x, "lnf"));
    }

    private NDArray attMlpLoss(NDArray z) {
      NDArray h = z.add(attention(z, "l0.", false)); // [B, T, d]
      NDArray mlp = linear(Activation.relu(linear(h, "l0.w1", "l0.b1")), "l0.w2", "l0.b2"); // [B, T, d]
      return poolHeadLoss(mlp);
    }

    /** Mean over the input rows → [B, d], head → [B, C], mean of −log softmax at the labels. */
    private NDArray poolHeadLoss(NDArray y) {
      NDArray pooled = y.get(inputRows()).mean(new int[] {1}); // [B, d]
      NDArray logp = linear(pooled, "head.w", "head.b").logSoftmax(-1); // [B, C]
      return logp.mul(oneHot).sum().neg().div(spec.batch());
    }

    /** [:, m_p:, :] — the input rows. */
    private NDIndex inputRows() {
      return new NDIndex(":, " + spec.prompt() + ":, :");
    }

    /** Multi-head attention on [B, T, H·s]: heads split as [B, H, T, s], softmax(scale·Q Kᵀ) V, merged back. */
    private NDArray attention(NDArray z, String p, boolean biased) {
      NDArray q = linear(z, p + "wq", biased ? p + "bq" : null);
      NDArray k = linear(z, p + "wk", biased ? p + "bk" : null);
      NDArray v = linear(z, p + "wv", biased ? p + "bv" : null);
      int heads = spec.heads();
      NDArray o;
      if (heads == 1) {
        NDArray s = q.matMul(k.transpose(0, 2, 1)); // [B, T, T]
        if (spec.scale() != 1.0) s = s.mul(spec.scale());
        o = s.softmax(-1).matMul(v); // [B, T, d]
      } else {
        long b = spec.batch();
        long t = spec.seq();
        long hs = spec.d() / heads;
        NDArray qh = q.reshape(b, t, heads, hs).transpose(0, 2, 1, 3); // [B, H, T, s]
        NDArray kh = k.reshape(b, t, heads, hs).transpose(0, 2, 3, 1); // [B, H, s, T]
        NDArray vh = v.reshape(b, t, heads, hs).transpose(0, 2, 1, 3); // [B, H, T, s]
        NDArray s = qh.matMul(kh).mul(spec.scale()); // [B, H, T, T]
        o = s.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, spec.d()); // [B, T, d]
      }
      return linear(o, p + "wo", biased ? p + "bo" : null);
    }

    /** torch.nn.functional.linear: x·Wᵀ (+ b). */
    private NDArray linear(NDArray x, String wKey, String bKey) {
      NDList out = bKey == null ? Linear.linear(x, w.get(wKey)) : Linear.linear(x, w.get(wKey), w.get(bKey));
      return out.singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String p) {
      Shape last = new Shape(spec.d());
      String g = spec.kind().model() ? p + ".weight" : p + ".g";
      String b = spec.kind().model() ? p + ".bias" : p + ".b";
      return LayerNorm.layerNorm(x, last, w.get(g), w.get(b), layerNormEps).singletonOrThrow();
    }
  }
}
