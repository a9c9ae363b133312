package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.ShapeException;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The fused attention against its composed twin built from primitive ops, forward and backward, in float64. */
class AttentionTest {
  /** softmax(scale·QKᵀ + mask)V per head, from reshape/transpose/matmul/maskedFill/softmax. */
  static Tensor composed(Tensor q, Tensor k, Tensor v, int h, double scale, Tensor attend, boolean causal) {
    int b = q.dim(0);
    int tq = q.dim(1);
    int tk = k.dim(1);
    int s = q.dim(2) / h;
    int sv = v.dim(2) / h;
    Tensor qh = q.reshape(b, tq, h, s).transpose(1, 2);   // [B, H, Tq, s]
    Tensor kh = k.reshape(b, tk, h, s).transpose(1, 2);   // [B, H, Tk, s]
    Tensor vh = v.reshape(b, tk, h, sv).transpose(1, 2);  // [B, H, Tk, sv]
    Tensor scores = qh.matmul(kh, false, true).mul(scale); // [B, H, Tq, Tk]
    Tensor blocked = Tensor.zeros(DType.F64, b, 1, tq, tk);
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < tk; j++) {
          boolean hidden = (causal && j > i + tk - tq) || (attend != null && attend.get(bi, j) == 0);
          blocked.setFlat((bi * tq + i) * tk + j, hidden ? 1 : 0);
        }
      }
    }
    Tensor p = scores.maskedFill(blocked, Double.NEGATIVE_INFINITY).softmax(-1);
    return p.matmul(vh).transpose(1, 2).reshape(b, tq, h * sv);
  }

  @Test
  void fusedEqualsComposedForwardAndBackward() {
    Rng rng = new Rng(4);
    int b = 2;
    int h = 3;
    int s = 4;
    int sv = 5;
    int tq = 6;
    int tk = 9; // a prefix of 3 keys, as a prompt
    for (boolean causal : new boolean[] {false, true}) {
      Tensor attend = Tensor.ones(DType.F64, b, tk);
      attend.setFlat(tk + 7, 0); // pad key 7 of the second sequence
      Tensor[] f = inputs(new Rng(7), b, tq, tk, h, s, sv);
      Tensor[] c = {f[0].copy().requiresGrad(true), f[1].copy().requiresGrad(true), f[2].copy().requiresGrad(true)};
      Tensor w = Tensor.randn(rng, DType.F64, 1, b, tq, h * sv);
      Tensor yf = Tensor.attention(f[0], f[1], f[2], h, 0.5, attend, causal);
      Tensor yc = composed(c[0], c[1], c[2], h, 0.5, attend, causal);
      assertClose(yc, yf, 1e-12, "forward");
      yf.mul(w).sum().backward();
      yc.mul(w).sum().backward();
      for (int i = 0; i < 3; i++) assertClose(c[i].grad(), f[i].grad(), 1e-12, "grad " + "qkv".charAt(i));
    }
  }

  @Test
  void float32AgreesWithFloat64() {
    Tensor[] f = inputs(new Rng(9), 2, 5, 7, 2, 8, 8);
    Tensor y64 = Tensor.attention(f[0], f[1], f[2], 2, 1 / Math.sqrt(8), null, false);
    Tensor y32 = Tensor.attention(f[0].to(DType.F32), f[1].to(DType.F32), f[2].to(DType.F32), 2,
        1 / Math.sqrt(8), null, false);
    assertClose(y64, y32.to(DType.F64), 1e-5, "f32");
  }

  /** float32 without a mask takes the block softmax: the bits of the row-by-row path (an all-ones mask), n ≥ 32. */
  @Test
  void blockSoftmaxEqualsRowByRow() {
    Rng rng = new Rng(12);
    Tensor q = Tensor.randn(rng, DType.F32, 1, 2, 37, 48);
    Tensor k = Tensor.randn(rng, DType.F32, 1, 2, 37, 48);
    Tensor v = Tensor.randn(rng, DType.F32, 1, 2, 37, 48);
    Tensor block = Tensor.attention(q, k, v, 3, 0.25, null, false);
    Tensor rows = Tensor.attention(q, k, v, 3, 0.25, Tensor.ones(DType.F32, 2, 37), false);
    assertClose(rows, block, 0, "block vs rows");
  }

  @Test
  void fullyMaskedQueryOutputsZeroWithoutNaN() {
    Tensor[] f = inputs(new Rng(1), 1, 2, 2, 1, 2, 2);
    Tensor none = Tensor.zeros(DType.F64, 1, 2);
    Tensor y = Tensor.attention(f[0], f[1], f[2], 1, 1, none, false);
    y.sum().backward();
    for (int i = 0; i < y.numel(); i++) assertEquals(0.0, y.getFlat(i));
    assertEquals(0.0, f[0].grad().getFlat(0));
  }

  @Test
  void rejectsBadShapes() {
    Tensor q = Tensor.zeros(DType.F64, 1, 2, 6);
    assertThrows(ShapeException.class, () -> Tensor.attention(q, q, q, 4, 1, null, false));
    assertThrows(ShapeException.class,
        () -> Tensor.attention(q, q, q, 2, 1, Tensor.ones(DType.F64, 1, 3), false));
  }

  /** float64 without a backward, long rows, short heads: the row kernel, against the GEMM path (inputs with grad). */
  @Test
  void longRowKernelAgreesWithTheGemmPath() {
    for (int tk : new int[] {Attention.LONG_ROWS, 301, 1024}) {
      int b = 2;
      int h = 2;
      int tq = 37;
      Tensor[] f = inputs(new Rng(tk), b, tq, tk, h, 4, 3);
      Tensor withGrad = Tensor.attention(f[0], f[1], f[2], h, 0.5, null, false); // P kept: the GEMM path
      Tensor[] d = {f[0].detach(), f[1].detach(), f[2].detach()};
      Tensor rows = Tensor.attention(d[0], d[1], d[2], h, 0.5, null, false);
      assertClose(withGrad, rows, 1e-13, "tk=" + tk);
      Tensor again = Tensor.attention(d[0], d[1], d[2], h, 0.5, null, false);
      for (int i = 0; i < rows.numel(); i++) assertEquals(rows.getFlat(i), again.getFlat(i), 0.0);
    }
  }

  /** A non-finite score sends the whole call to the GEMM path, which gives what it always gave. */
  @Test
  void longRowKernelLeavesNonFiniteInputsToTheGemmPath() {
    Tensor[] f = inputs(new Rng(3), 1, 4, 300, 1, 4, 4);
    Tensor[] g = {f[0].detach(), f[1].detach(), f[2].detach()};
    g[1].setFlat(17, Double.POSITIVE_INFINITY);
    Tensor wantG = Tensor.attention(g[0].copy().requiresGrad(true), g[1], g[2], 1, 1.0, null, false); // GEMM path
    Tensor got = Tensor.attention(g[0], g[1], g[2], 1, 1.0, null, false);
    for (int i = 0; i < got.numel(); i++) {
      assertEquals(Double.doubleToRawLongBits(wantG.getFlat(i)), Double.doubleToRawLongBits(got.getFlat(i)));
    }
  }

  /** The packed form (Q, K, V as column blocks of one tensor) gives sdpa's bits on the three blocks, masked or not. */
  @Test
  void packedQkvEqualsSeparateBlocks() {
    for (DType dt : DType.values()) {
      for (int tk : new int[] {7, 300}) { // the GEMM path, and (float64) the row kernel
        Tensor qkv = Tensor.randn(new Rng(tk), dt, 1, 2, tk, 3 * 8);
        Tensor q = qkv.slice(2, 0, 8).copy();
        Tensor k = qkv.slice(2, 8, 16).copy();
        Tensor v = qkv.slice(2, 16, 24).copy();
        Tensor mask = Tensor.ones(dt, 2, tk);
        mask.setFlat(tk + 1, 0);
        for (Tensor m : new Tensor[] {null, mask}) {
          Tensor want = Tensor.attention(q, k, v, 2, 0.3, m, false);
          Tensor got = Attention.sdpaPacked(qkv, 2, 0.3, m, false);
          for (int i = 0; i < want.numel(); i++) {
            assertEquals(Double.doubleToRawLongBits(want.getFlat(i)), Double.doubleToRawLongBits(got.getFlat(i)),
                dt + " tk=" + tk + (m == null ? "" : " masked") + " at " + i);
          }
        }
      }
    }
    Tensor needsGrad = Tensor.randn(new Rng(1), DType.F64, 1, 1, 4, 6).requiresGrad(true);
    assertThrows(IllegalStateException.class, () -> Attention.sdpaPacked(needsGrad, 1, 1, null, false));
    assertThrows(ShapeException.class, () -> Attention.sdpaPacked(needsGrad.detach(), 4, 1, null, false));
  }

  /** The row kernel keeps Kᵀ and Vᵀ on the key and value tensors; a write to either drops them. */
  @Test
  void longRowKernelNeverUsesStaleTransposes() {
    Tensor[] f = inputs(new Rng(5), 1, 6, 280, 2, 4, 4);
    Tensor q = f[0].detach();
    Tensor k = f[1].detach().copy();
    Tensor v = f[2].detach().copy();
    Tensor first = Tensor.attention(q, k, v, 2, 0.5, null, false);
    Tensor again = Tensor.attention(q, k, v, 2, 0.5, null, false); // transposes reused
    for (int i = 0; i < first.numel(); i++) assertEquals(first.getFlat(i), again.getFlat(i), 0.0);
    k.setFlat(9, 3.0);
    v.setFlat(12, -2.0);
    Tensor fresh = Tensor.attention(q, k.copy(), v.copy(), 2, 0.5, null, false);
    Tensor after = Tensor.attention(q, k, v, 2, 0.5, null, false);
    for (int i = 0; i < fresh.numel(); i++) assertEquals(fresh.getFlat(i), after.getFlat(i), 0.0, "at " + i);
    // the same tensor as keys and values (and as the packed form) keeps the two roles apart
    Tensor kv = Tensor.attention(q, k, k, 2, 0.5, null, false);
    Tensor kvFresh = Tensor.attention(q, k.copy(), k.copy(), 2, 0.5, null, false);
    for (int i = 0; i < kv.numel(); i++) assertEquals(kvFresh.getFlat(i), kv.getFlat(i), 0.0, "k as v at " + i);
  }

  static Tensor[] inputs(Rng rng, int b, int tq, int tk, int h, int s, int sv) {
    return new Tensor[] {
      Tensor.randn(rng, DType.F64, 1, b, tq, h * s).requiresGrad(true),
      Tensor.randn(rng, DType.F64, 1, b, tk, h * s).requiresGrad(true),
      Tensor.randn(rng, DType.F64, 1, b, tk, h * sv).requiresGrad(true),
    };
  }

  static void assertClose(Tensor want, Tensor got, double tol, String what) {
    assertEquals(want.numel(), got.numel(), what);
    for (int i = 0; i < want.numel(); i++) {
      double w = want.getFlat(i);
      assertEquals(w, got.getFlat(i), tol * Math.max(1, Math.abs(w)), what + " at " + i);
    }
  }
}
