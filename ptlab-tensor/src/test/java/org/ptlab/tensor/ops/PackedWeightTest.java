package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.MatMulKernelF32;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;

/**
 * MatMul keeps a frozen float32 weight packed for x·Wᵀ and for g·W (Tensor.derived): the results are the bits of
 * packing on every call, and any in-place write to the weight (its API, a view's, an optimizer's) drops the packed
 * copies.
 */
class PackedWeightTest {
  private static final Rng RNG = new Rng(8);
  private static final Tensor X = Tensor.randn(RNG, DType.F32, 1, 4, 64, 96); // [B, T, in]: a packed-path GEMM

  /** x·Wᵀ computed by a fresh copy of W (never packed ahead). */
  private static float[] reference(Tensor w) {
    return X.matmul(w.copy(), false, true).toFloatArray();
  }

  private static float[] forward(Tensor w) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      return X.matmul(w, false, true).toFloatArray();
    }
  }

  @Test
  void repeatedUseGivesTheBitsOfPackingEveryTime() {
    Tensor w = Tensor.randn(RNG, DType.F32, 0.1, 80, 96);
    float[] want = reference(w);
    for (int i = 0; i < 4; i++) assertArrayEquals(want, forward(w), 0f, "use " + i); // 2nd use packs, later reuse
    assertTrue(w.derived(MatMul.PACKED_TRANS_B) instanceof MatMulKernelF32.PackedB);
    assertArrayEquals(want, X.matmul(w, false, true).toFloatArray(), 0f, "with grad mode on");
  }

  @Test
  void writesDropThePackedCopy() {
    Tensor w = Tensor.randn(RNG, DType.F32, 0.1, 80, 96);
    for (int i = 0; i < 3; i++) forward(w);
    float[] before = forward(w);
    w.setFlat(5, 3.0);
    assertNotEquals(before[0], forward(w)[0]); // W[0, 5] feeds output column 0
    assertArrayEquals(reference(w), forward(w), 0f, "after setFlat");
    w.copyFrom(Tensor.randn(RNG, DType.F32, 0.1, 80, 96));
    assertArrayEquals(reference(w), forward(w), 0f, "after copyFrom");
    w.reshape(96, 80).fill(0.25); // through a view
    assertArrayEquals(reference(w), forward(w), 0f, "after a view's fill");
    forward(w);
    w.slice(0, 3, 4).copyFrom(Tensor.full(DType.F32, -1, 1, 96)); // through a slice
    assertArrayEquals(reference(w), forward(w), 0f, "after a slice's copyFrom");
  }

  @Test
  void anOptimizerStepDropsThePackedCopy() {
    Tensor w = Tensor.randn(RNG, DType.F32, 0.1, 80, 96).requiresGrad(true);
    Adam opt = new Adam(List.of(w), AdamConfig.adam(0.1));
    X.matmul(w, false, true).square().sum().backward();
    w.requiresGrad(false); // frozen from now on: used packed...
    for (int i = 0; i < 3; i++) forward(w);
    w.requiresGrad(true);
    opt.step(); // ...until this step writes it
    w.requiresGrad(false);
    assertArrayEquals(reference(w), forward(w), 0f);
    assertArrayEquals(reference(w), forward(w), 0f);
  }

  @Test
  void theInputGradientThroughAFrozenWeightUsesItsOwnPackedCopy() {
    Tensor w = Tensor.randn(RNG, DType.F32, 0.1, 80, 96); // frozen
    Tensor g = Tensor.randn(RNG, DType.F32, 1, 4, 64, 80); // dL/d(x·Wᵀ)
    float[] want = g.matmul(w.copy(), false, false).toFloatArray();
    Tensor x = X.copy().requiresGrad(true);
    for (int i = 0; i < 4; i++) { // the backward of x·Wᵀ computes g·W: packed from the 2nd use on
      x.zeroGrad();
      x.matmul(w, false, true).mul(g).sum().backward();
      assertArrayEquals(want, x.grad().toFloatArray(), 0f, "use " + i);
    }
    assertTrue(w.derived(MatMul.PACKED_B) instanceof MatMulKernelF32.PackedB);
    assertTrue(w.derived(MatMul.PACKED_TRANS_B) instanceof MatMulKernelF32.PackedB);
    w.setFlat(7, 2.0); // a write drops both
    assertNull(w.derived(MatMul.PACKED_B));
    assertNull(w.derived(MatMul.PACKED_TRANS_B));
    x.zeroGrad();
    x.matmul(w, false, true).mul(g).sum().backward();
    assertArrayEquals(g.matmul(w.copy(), false, false).toFloatArray(), x.grad().toFloatArray(), 0f, "after a write");
  }

  @Test
  void trainableWeightsAreNotPacked() {
    Tensor w = Tensor.randn(RNG, DType.F32, 0.1, 80, 96).requiresGrad(true);
    for (int i = 0; i < 3; i++) X.matmul(w, false, true);
    assertNull(w.derived(MatMul.PACKED_TRANS_B));
    assertArrayEquals(reference(w), forward(w), 0f);
  }
}
