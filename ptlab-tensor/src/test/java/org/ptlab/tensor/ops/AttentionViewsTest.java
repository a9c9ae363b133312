package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * q, k, v that are views starting past the beginning of their storage (a batch slice) get the same values and
 * gradients as copies of them: the backward writes each gradient relative to the gradient tensor, not at the view's
 * storage offset (which once put them in the wrong rows).
 */
class AttentionViewsTest {
  @Test
  void batchSlicesGetTheGradientsOfTheirCopies() {
    for (DType dtype : new DType[] {DType.F32, DType.F64}) {
      for (int t : new int[] {4, 20}) { // the direct path (f64, ≤ 8) and the GEMM path
        Rng rng = new Rng(3);
        Tensor[] big = new Tensor[3];
        for (int i = 0; i < 3; i++) big[i] = Tensor.randn(rng, dtype, 1.0, 4, t, 8).requiresGrad(true);
        Tensor w = Tensor.randn(rng, dtype, 1.0, 2, t, 8);
        Tensor viaViews = Tensor.attention(big[0].slice(0, 2, 4), big[1].slice(0, 2, 4), big[2].slice(0, 2, 4), 2,
            0.5, null, true);
        viaViews.mul(w).sum().backward();
        Tensor[] copies = new Tensor[3];
        for (int i = 0; i < 3; i++) copies[i] = big[i].slice(0, 2, 4).copy().requiresGrad(true);
        Tensor viaCopies = Tensor.attention(copies[0], copies[1], copies[2], 2, 0.5, null, true);
        viaCopies.mul(w).sum().backward();
        for (int j = 0; j < viaViews.numel(); j++) {
          assertEquals(viaCopies.getFlat(j), viaViews.getFlat(j), 0.0, dtype + " t=" + t + " output " + j);
        }
        for (int i = 0; i < 3; i++) {
          Tensor g = big[i].grad();
          int half = g.numel() / 2;
          for (int j = 0; j < half; j++) assertEquals(0.0, g.getFlat(j), 0.0, dtype + " t=" + t + " input " + i + " row " + j);
          for (int j = 0; j < half; j++) {
            assertEquals(copies[i].grad().getFlat(j), g.getFlat(half + j), 0.0, dtype + " t=" + t + " input " + i + " " + j);
          }
        }
      }
    }
  }
}
