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
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.Map;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * The peer: the same steps as {@link PtlabWorkloads}, line by line, with libtorch's kernels through DJL's NDArray
 * ops and autograd ({@link GradientCollector}; only one may be open per JVM). Each step runs inside an
 * {@link NDScope} that frees its intermediates; the Adam update ({@link TorchAdam}) runs after the scope and the
 * collector close, as spec/stack.md says. Attention is the math path (matmul, softmax, matmul), as torch's
 * nn.MultiheadAttention computes it when the fused kernel is not used; DJL exposes no fused SDPA.
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
    private final NDArray prompt; // P [m_p, d], requires grad
    private final NDArray oneHot; // labels as [B, C] one-hot rows (classification only)
    private final TorchAdam adam;

    Runner(Workloads.Data data, NDManager manager) {
      this.spec = data.spec();
      this.manager = manager.newSubManager();
      this.engine = manager.getEngine();
      for (Map.Entry<String, Tensor> e : data.tensors().entrySet()) w.put(e.getKey(), toNd(this.manager, e.getValue()));
      this.prompt = w.get("P");
      prompt.setRequiresGradient(true);
      int c = spec.classes();
      if (c > 0) {
        Tensor hot = Tensor.zeros(spec.dtype(), data.labels().length, c);
        for (int i = 0; i < data.labels().length; i++) hot.setFlat(i * c + data.labels()[i], 1.0);
        oneHot = toNd(this.manager, hot);
      } else {
        oneHot = null;
      }
      this.adam = new TorchAdam(prompt, Workloads.LR);
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
      adam.step();
      JniUtils.zeroGrad((PtNDArray) prompt);
      return value;
    }

    @Override
    public double[] promptGradient() {
      try (GradientCollector gc = engine.newGradientCollector(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        gc.backward(forward());
      }
      double[] g;
      try (NDArray grad = prompt.getGradient()) {
        g = grad.toType(DataType.FLOAT64, false).toDoubleArray();
      }
      JniUtils.zeroGrad((PtNDArray) prompt);
      return g;
    }

    @Override
    public void close() {
      manager.close();
    }

    private NDArray forward() {
      NDArray z = withPrompt(); // [B, T, d]
      return switch (spec.kind()) {
        case SEED -> seedLoss(z);
        case PRE_LN -> preLnLoss(z);
        case ATT_MLP -> attMlpLoss(z);
      };
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
      return LayerNorm.layerNorm(x, last, w.get(p + ".g"), w.get(p + ".b"), 1e-5f).singletonOrThrow();
    }
  }
}
