package org.ptlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.wang2023.SharedTokenConstruction;
import org.ptlab.tuning.prompt.PromptTuning;

/**
 * The peer of one {@code sweep} run ({@link SweepExperiment}) on libtorch: the paper layer τ(Z) = H + W2·relu(W1·H +
 * b1) + b2 with H = Z + W_o·(softmax((Z W_qᵀ)(Z W_kᵀ)ᵀ) Z W_vᵀ) (one head, no scale, no attention biases), Z = [P; X]
 * for both examples, the masked MSE over the input rows as the trainer computes it (Σ (y − t)² · (1/count), the mask
 * being all ones), and {@link TorchAdam} at lr 0.1. The weights are the construction's, the initial prompt is the
 * PTLab run's (same seed). Runs one after another: DJL allows one gradient collector per JVM.
 */
final class TorchSweep {
  private static final String L0 = "encoder.layer.0.";

  private final Engine engine;
  private final NDManager manager;
  private final Map<String, NDArray> w = new HashMap<>();
  private final NDArray x; // [n, m, d]
  private final NDArray y; // [n, m, d]
  private final int examples;
  private final int tokens;
  private final int d;

  TorchSweep(SharedTokenConstruction c, NDManager parent) {
    this.manager = parent.newSubManager();
    this.engine = parent.getEngine();
    c.model().parameters().all().forEach((k, v) -> w.put(k, TorchWorkloads.toNd(manager, v)));
    this.examples = c.inputs().length;
    this.tokens = c.inputs()[0].length;
    this.d = c.inputs()[0][0].length;
    this.x = manager.create(flat(c.inputs())).reshape(examples, tokens, d);
    this.y = manager.create(flat(c.targets())).reshape(examples, tokens, d);
  }

  /** One run of {@code steps} steps from {@code prompt} [m_p, d]; the loss before each step. */
  double[] run(Tensor prompt, int steps, double lr) {
    double[] losses = new double[steps];
    try (NDManager runManager = manager.newSubManager()) {
      NDArray p = TorchWorkloads.toNd(runManager, prompt);
      p.setRequiresGradient(true);
      TorchAdam adam = new TorchAdam(p, lr);
      for (int s = 0; s < steps; s++) {
        try (GradientCollector gc = engine.newGradientCollector(); NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray loss = loss(p);
          gc.backward(loss);
          losses[s] = loss.getDouble();
        }
        adam.step();
        JniUtils.zeroGrad((PtNDArray) p);
      }
    }
    return losses;
  }

  void close() {
    manager.close();
  }

  private NDArray loss(NDArray p) {
    long mp = p.getShape().get(0);
    NDArray z = NDArrays.concat(new NDList(p.expandDims(0).broadcast(examples, mp, d), x), 1); // [n, T, d]
    NDArray q = linear(z, L0 + "attention.self.query", false);
    NDArray k = linear(z, L0 + "attention.self.key", false);
    NDArray v = linear(z, L0 + "attention.self.value", false);
    NDArray att = q.matMul(k.transpose(0, 2, 1)).softmax(-1).matMul(v); // [n, T, d]
    NDArray h = z.add(linear(att, L0 + "attention.output.dense", false));
    NDArray mlp = linear(Activation.relu(linear(h, L0 + "intermediate.dense", true)), L0 + "output.dense", true);
    NDArray out = h.add(mlp).get(new NDIndex(":, " + mp + ":, :")); // [n, m, d]
    return out.sub(y).square().sum().mul(1.0 / (examples * tokens * d));
  }

  private NDArray linear(NDArray in, String module, boolean bias) {
    NDList out = bias ? Linear.linear(in, w.get(module + ".weight"), w.get(module + ".bias"))
        : Linear.linear(in, w.get(module + ".weight"));
    return out.singletonOrThrow();
  }

  /** The initial prompt of the run with {@code seed}: what PTLab's run starts from (a copy). */
  static Tensor initialPrompt(SweepExperiment e, long seed) {
    Transformer model = e.copyOfModel();
    return e.initialPrompt(model, new Rng(seed)).trainable().get(PromptTuning.KEY).copy();
  }

  private static double[] flat(double[][][] a) {
    int n = 0;
    for (double[][] b : a) for (double[] c : b) n += c.length;
    double[] out = new double[n];
    int at = 0;
    for (double[][] b : a) {
      for (double[] c : b) {
        System.arraycopy(c, 0, out, at, c.length);
        at += c.length;
      }
    }
    return out;
  }
}
