package org.ptlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;

/** Same seed, same data, same threads ⇒ bit-identical parameters, with shapes big enough to use the pool. */
class DeterminismTest {
  static float[] train(long seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.F32, 0.05, 192, 192).requiresGrad(true);
    Tensor p = Tensor.randn(rng, DType.F32, 0.5, 8, 192).requiresGrad(true);
    Tensor x = Tensor.randn(rng, DType.F32, 1, 4, 56, 192);
    int[] labels = new int[4 * 64];
    for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(10);
    Tensor head = Tensor.randn(rng, DType.F32, 0.05, 10, 192);
    Adam opt = new Adam(List.of(w, p), AdamConfig.adamW(1e-3));
    for (int step = 0; step < 5; step++) {
      Tensor z = Tensor.concat(1, p.reshape(1, 8, 192).mul(Tensor.ones(DType.F32, 4, 1, 1)), x); // [4, 64, 192]
      Tensor h = z.matmul(w, false, true).gelu();
      Tensor a = Tensor.attention(h, h, h, 4, 0.125, null, false).add(z).layerNorm(null, null, 1e-5);
      Tensor logits = a.matmul(head, false, true).dropout(0.1, rng, true);
      logits.crossEntropy(labels).backward();
      opt.step();
      opt.zeroGrad();
    }
    float[] out = new float[w.numel() + p.numel()];
    System.arraycopy(w.toFloatArray(), 0, out, 0, w.numel());
    System.arraycopy(p.toFloatArray(), 0, out, w.numel(), p.numel());
    return out;
  }

  @Test
  void sameSeedSameBits() {
    assertArrayEquals(train(17), train(17), 0f);
  }

  /**
   * The bits of an op must not depend on JIT warm-up: a resumed run starts cold where the original was warm. The
   * Vector API's compiled lanewise(EXP) broke this for the fused softmax and the float32 GELU; they now use
   * VectorMathF32's exp and Φ, built from exact lane-wise operations (see also VectorMathF32Test).
   */
  @Test
  void sameBitsColdAndWarm() {
    for (DType dt : DType.values()) {
      double[] cold = softmaxGeluStep(dt);
      for (int rep = 0; rep < 2500; rep++) softmaxGeluStep(dt);
      assertArrayEquals(cold, softmaxGeluStep(dt), dt + " after warm-up");
    }
  }

  /**
   * The no-grad inference path of a BERT block on fixed inputs, cold and warm: linear layers on the packed GEMM path
   * (A read in place at row stride 384, the bias added by the kernel, the weight packed ahead from its second use
   * on), GELU in place, addLayerNorm, block softmax. The first call runs interpreted and packs per call.
   */
  @Test
  void inferencePathSameBitsColdAndWarm() {
    Rng rng = new Rng(3);
    Tensor x = Tensor.randn(rng, DType.F32, 1, 2, 40, 384);
    Tensor w1 = Tensor.randn(rng, DType.F32, 0.05, 512, 384);
    Tensor b1 = Tensor.randn(rng, DType.F32, 0.1, 512);
    Tensor w2 = Tensor.randn(rng, DType.F32, 0.05, 384, 512);
    Tensor b2 = Tensor.randn(rng, DType.F32, 0.1, 384);
    Tensor gamma = Tensor.randn(rng, DType.F32, 1, 384);
    java.util.function.Supplier<float[]> step = () -> {
      try (GradMode.Scope s = GradMode.noGrad()) {
        Tensor h = x.linear(w1, b1).geluInPlace(); // [2, 40, 512]
        Tensor y = h.linear(w2, b2).addLayerNorm(x, gamma, null, 1e-12); // [2, 40, 384]
        return Tensor.attention(y, y.mul(0.5), y, 12, 0.125, null, false).toFloatArray();
      }
    };
    float[] cold = step.get();
    for (int rep = 0; rep < 400; rep++) step.get();
    assertArrayEquals(cold, step.get(), 0f, "after warm-up");
  }

  /** Attention (forward and backward) and GELU on fixed inputs; returns output and gradients. */
  private static double[] softmaxGeluStep(DType dt) {
    Rng rng = new Rng(5);
    Tensor q = Tensor.randn(rng, dt, 1.5, 2, 7, 16).requiresGrad(true);
    Tensor k = Tensor.randn(rng, dt, 1.5, 2, 19, 16).requiresGrad(true);
    Tensor v = Tensor.randn(rng, dt, 1.0, 2, 19, 16).requiresGrad(true);
    Tensor o = Tensor.attention(q, k, v, 2, 0.5, null, false).gelu(); // softmax rows of 19: vectors and a tail
    Tensor r = q.reshape(-1).slice(0, 0, 219).gelu(); // 219 elements: GELU's vector loop and its scalar tail
    o.square().sum().add(r.square().sum()).backward();
    double[] a = o.toDoubleArray();
    double[] g = q.grad().toDoubleArray();
    double[] out = java.util.Arrays.copyOf(a, a.length + g.length);
    System.arraycopy(g, 0, out, a.length, g.length);
    return out;
  }
}
