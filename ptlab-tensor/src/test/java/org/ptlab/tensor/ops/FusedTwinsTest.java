package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

  /** linear = matmul + add bit for bit (the bias goes into the product in place), in both dtypes, with gradients. */
  @Test
  void linearEqualsComposed() {
    for (DType dt : DType.values()) {
      for (int[] s : new int[][] {{2, 3, 5, 4}, {4, 64, 96, 80}}) { // unpacked and packed GEMM paths
        Rng rng = new Rng(4);
        Tensor x1 = Tensor.randn(rng, dt, 1, s[0], s[1], s[2]).requiresGrad(true);
        Tensor w1 = Tensor.randn(rng, dt, 0.2, s[3], s[2]).requiresGrad(true);
        Tensor b1 = Tensor.randn(rng, dt, 1, s[3]).requiresGrad(true);
        Tensor x2 = x1.copy().requiresGrad(true);
        Tensor w2 = w1.copy().requiresGrad(true);
        Tensor b2 = b1.copy().requiresGrad(true);
        Tensor fused = x1.linear(w1, b1);
        Tensor composed = x2.matmul(w2, false, true).add(b2);
        assertClose(composed, fused, 0, dt + " forward");
        Tensor g = Tensor.randn(rng, dt, 1, s[0], s[1], s[3]);
        fused.mul(g).sum().backward();
        composed.mul(g).sum().backward();
        assertClose(x2.grad(), x1.grad(), 0, dt + " dx");
        assertClose(w2.grad(), w1.grad(), 0, dt + " dW");
        assertClose(b2.grad(), b1.grad(), 0, dt + " dbias");
      }
    }
  }

  /** addLayerNorm = add + layerNorm bit for bit, with every gradient; geluInPlace = gelu. */
  @Test
  void addLayerNormAndGeluInPlaceEqualComposed() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(5);
      Tensor x1 = Tensor.randn(rng, dt, 1, 3, 5, 390).requiresGrad(true); // 15 rows of 390: pooled, with a tail of 2
      Tensor r1 = Tensor.randn(rng, dt, 1, 3, 5, 390).requiresGrad(true);
      Tensor g1 = Tensor.randn(rng, dt, 1, 390).requiresGrad(true);
      Tensor b1 = Tensor.randn(rng, dt, 1, 390).requiresGrad(true);
      Tensor x2 = x1.copy().requiresGrad(true);
      Tensor r2 = r1.copy().requiresGrad(true);
      Tensor g2 = g1.copy().requiresGrad(true);
      Tensor b2 = b1.copy().requiresGrad(true);
      Tensor fused = x1.addLayerNorm(r1, g1, b1, 1e-5);
      Tensor composed = x2.add(r2).layerNorm(g2, b2, 1e-5);
      assertClose(composed, fused, 0, dt + " forward");
      Tensor w = Tensor.randn(rng, dt, 1, 3, 5, 390);
      fused.mul(w).sum().backward();
      composed.mul(w).sum().backward();
      assertClose(x2.grad(), x1.grad(), 0, dt + " dx");
      assertClose(r2.grad(), r1.grad(), 0, dt + " dr");
      assertClose(g2.grad(), g1.grad(), 0, dt + " dgamma");
      assertClose(b2.grad(), b1.grad(), 0, dt + " dbeta");
      Tensor a = Tensor.randn(rng, dt, 2, 7, 3001); // chunks of the pool and a scalar tail
      Tensor want = a.gelu();
      Tensor same = a.copy();
      assertTrue(same.geluInPlace() == same);
      assertClose(want, same, 0, dt + " geluInPlace");
      assertThrows(IllegalStateException.class, () -> x1.geluInPlace());
      Tensor rr = r1.detach().copy();
      Tensor xx = x1.detach();
      assertTrue(rr.addLayerNormInPlace(xx, g1.detach(), b1.detach(), 1e-5) == rr);
      assertClose(composed, rr, 0, dt + " addLayerNormInPlace");
      assertThrows(IllegalStateException.class, () -> r1.addLayerNormInPlace(x1, g1, b1, 1e-5));
    }
  }

  /** GELU, layer norm and attention skip what only their backward needs under no-grad: same forward bits. */
  @Test
  void noGradForwardsEqualRecordedOnes() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(6);
      Tensor x = Tensor.randn(rng, dt, 1.5, 2, 19, 24).requiresGrad(true);
      Tensor gamma = Tensor.randn(rng, dt, 1, 24).requiresGrad(true);
      Tensor beta = Tensor.randn(rng, dt, 1, 24);
      java.util.function.Function<Tensor, Tensor[]> ops = t -> new Tensor[] {t.gelu(), t.layerNorm(gamma, beta, 1e-5),
          Tensor.attention(t, t.mul(0.5), t, 3, 0.3, null, false)};
      Tensor[] recorded = ops.apply(x);
      Tensor[] plain;
      try (org.ptlab.tensor.GradMode.Scope s = org.ptlab.tensor.GradMode.noGrad()) {
        plain = ops.apply(x);
      }
      for (int i = 0; i < recorded.length; i++) {
        assertTrue(recorded[i].requiresGrad() && !plain[i].requiresGrad());
        assertClose(recorded[i], plain[i], 0, dt + " op " + i);
      }
    }
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
