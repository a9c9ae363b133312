package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * {@link ExactAttention#blocked} equals the dense reference on both of its routes: one call where the engine takes
 * its float64 row kernel (≥ 256 keys), query blocks otherwise (fewer keys, float32).
 */
class ExactAttentionBlockedTest {
  @Test
  void bothRoutesMatchTheDenseReference() {
    for (int n : new int[] {100, 300, 2048}) {
      for (DType dtype : new DType[] {DType.F64, DType.F32}) {
        Rng rng = new Rng(n);
        Tensor q = Tensor.randn(rng, DType.F64, 0.5, n, 4);
        Tensor k = Tensor.randn(rng, DType.F64, 0.5, n, 4);
        Tensor v = Tensor.randn(rng, DType.F64, 1.0, n, 4);
        double[] want = ExactAttention.dense(q.f64(), n, k.f64(), n, 4, v.f64(), 4, 1.0, null);
        Tensor got = ExactAttention.blocked(q.to(dtype), k.to(dtype), v.to(dtype), 1.0,
            ExactAttention.defaultBlockRows(n));
        double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got.getFlat(i), tol * (1 + Math.abs(want[i])), "n=" + n + " " + dtype + " " + i);
        }
      }
    }
  }
}
