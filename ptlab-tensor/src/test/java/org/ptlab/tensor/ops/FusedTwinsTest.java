package org.ptlab.tensor.ops;

import static org.ptlab.tensor.ops.AttentionTest.assertClose;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Fused layer norm and softmax-cross-entropy against the same math composed from primitives (float64). */
class FusedTwinsTest {
  @Test
  void layerNormEqualsComposed() {
    for (int d : new int[] {1, 2, 7}) layerNormEqualsComposed(d);
  }

  private static void layerNormEqualsComposed(int d) {
    Rng rng = new Rng(2);
    Tensor x1 = Tensor.randn(rng, DType.F64, 2, 3, 4, d).requiresGrad(true);
    Tensor g1 = Tensor.randn(rng, DType.F64, 1, d).requiresGrad(true);
    Tensor b1 = Tensor.randn(rng, DType.F64, 1, d).requiresGrad(true);
    Tensor x2 = x1.copy().requiresGrad(true);
    Tensor g2 = g1.copy().requiresGrad(true);
    Tensor b2 = b1.copy().requiresGrad(true);
    Tensor w = Tensor.randn(rng, DType.F64, 1, 3, 4, d);
    Tensor fused = x1.layerNorm(g1, b1, 1e-5);
    Tensor centered = x2.sub(x2.mean(-1, true));
    Tensor composed = centered.div(centered.square().mean(-1, true).add(1e-5).sqrt()).mul(g2).add(b2);
    assertClose(composed, fused, 1e-12, "forward");
    fused.mul(w).sum().backward();
    composed.mul(w).sum().backward();
    assertClose(x2.grad(), x1.grad(), 1e-10, "dx");
    assertClose(g2.grad(), g1.grad(), 1e-12, "dgamma");
    assertClose(b2.grad(), b1.grad(), 1e-12, "dbeta");
  }

  @Test
  void crossEntropyEqualsComposed() {
    Rng rng = new Rng(3);
    Tensor z1 = Tensor.randn(rng, DType.F64, 2, 5, 4).requiresGrad(true);
    Tensor z2 = z1.copy().requiresGrad(true);
    int[] labels = {3, 0, 1, 1, 2};
    Tensor fused = z1.crossEntropy(labels);
    Tensor onehot = Tensor.zeros(DType.F64, 5, 4);
    for (int i = 0; i < 5; i++) onehot.setFlat(i * 4 + labels[i], 1);
    Tensor composed = z2.logSoftmax(-1).mul(onehot).sum().mul(-1.0 / 5);
    assertClose(composed, fused, 1e-14, "forward");
    fused.backward();
    composed.backward();
    assertClose(z2.grad(), z1.grad(), 1e-14, "dlogits");
  }
}
