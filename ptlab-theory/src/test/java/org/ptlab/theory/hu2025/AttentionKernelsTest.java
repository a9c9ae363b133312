package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The "polynomial" and "auto" kernels behind ptlab-nn's AttentionKernel: batches, heads, masks, autograd, choice. */
class AttentionKernelsTest {
  static double maxDiff(Tensor a, Tensor b) {
    return Data.maxAbsDiff(a.toDoubleArray(), b.toDoubleArray());
  }

  @Test
  void polynomialKernelMatchesExactOnBatchesHeadsAndMasksForwardAndBackward() {
    Rng rng = new Rng(61);
    int b = 2;
    int h = 2;
    Tensor q0 = Tensor.rand(rng, DType.F64, -0.7, 0.7, b, 11, h * 3); // [B, Tq, H·s]
    Tensor k0 = Tensor.rand(rng, DType.F64, -0.7, 0.7, b, 19, h * 3); // [B, Tk, H·s]
    Tensor v0 = Tensor.rand(rng, DType.F64, -1, 1, b, 19, h * 2); // [B, Tk, H·sv]
    Tensor mask = Tensor.ones(DType.F64, b, 19);
    mask.setFlat(19 + 4, 0); // pad key 4 of the second sequence
    Tensor w = Tensor.randn(rng, DType.F64, 1, b, 11, h * 2);
    PolynomialAttentionKernel poly = PolynomialAttentionKernel.tolerance(1e-9);
    List<Tensor> grads = new ArrayList<>();
    Tensor[] outs = new Tensor[2];
    AttentionKernel[] kernels = {AttentionKernel.EXACT, poly};
    for (int i = 0; i < 2; i++) {
      Tensor q = q0.copy().requiresGrad(true);
      Tensor k = k0.copy().requiresGrad(true);
      Tensor v = v0.copy().requiresGrad(true);
      outs[i] = kernels[i].attend(q, k, v, h, 0.8, mask, false);
      outs[i].mul(w).sum().backward();
      grads.addAll(List.of(q.grad(), k.grad(), v.grad()));
    }
    KernelDecision d = poly.lastDecision();
    assertTrue(d.fast() && d.problems() == 4 && d.bound() <= 1e-9, d.toString());
    assertTrue(maxDiff(outs[0], outs[1]) <= d.bound());
    for (int i = 0; i < 3; i++) assertTrue(maxDiff(grads.get(i), grads.get(3 + i)) < 1e-8, "grad " + "qkv".charAt(i));
    assertEquals(0, grads.get(4).get(1, 4, 0), "a masked key gets no gradient");
  }

  @Test
  void float32InputsComeBackAsFloat32() {
    Rng rng = new Rng(62);
    Tensor q = Tensor.rand(rng, DType.F32, -0.5, 0.5, 1, 8, 4);
    Tensor out = PolynomialAttentionKernel.tolerance(1e-6).attend(q, q, q, 1, 1.0, null, false);
    assertSame(DType.F32, out.dtype());
    assertTrue(maxDiff(out, AttentionKernel.EXACT.attend(q, q, q, 1, 1.0, null, false)) < 1e-6);
  }

  @Test
  void autoTakesTheFastPathOnlyWhenCertifiedAndCheaper() {
    Rng rng = new Rng(63);
    AutoAttentionKernel auto = new AutoAttentionKernel(1e-6, CostModel.DEFAULT);
    List<KernelDecision> seen = new ArrayList<>();
    auto.addListener(seen::add);
    // long sequence, small entries: certified and cheaper → polynomial
    Tensor q = Tensor.rand(rng, DType.F64, -0.5, 0.5, 1, 2048, 4);
    Tensor v = Tensor.rand(rng, DType.F64, 0, 1, 1, 2048, 4);
    Tensor out = auto.attend(q, q, v, 1, 1.0, null, false);
    KernelDecision fast = auto.lastDecision();
    assertTrue(fast.fast() && fast.bound() <= 1e-6 && fast.predictedFastMs() < fast.predictedExactMs(), fast.toString());
    assertTrue(maxDiff(out, AttentionKernel.EXACT.attend(q, q, v, 1, 1.0, null, false)) <= fast.bound());
    // short sequence: the fast path would be certified but dearer → exact
    Tensor qs = q.slice(1, 0, 32);
    auto.attend(qs, qs, v.slice(1, 0, 32), 1, 1.0, null, false);
    assertFalse(auto.lastDecision().fast());
    assertTrue(auto.lastDecision().reason().startsWith("predicted"), auto.lastDecision().reason());
    // large entries (R ≈ 64): the rank makes exact the cheaper choice, as the hardness side says
    Tensor big = q.mul(8);
    Tensor exactOut = auto.attend(big, big, v, 1, 1.0, null, false);
    assertFalse(auto.lastDecision().fast(), auto.lastDecision().toString());
    assertEquals(0, maxDiff(exactOut, AttentionKernel.EXACT.attend(big, big, v, 1, 1.0, null, false)));
    // causal: always exact
    auto.attend(q, q, v, 1, 1.0, null, true);
    assertTrue(auto.lastDecision().reason().startsWith("causal"));
    assertEquals(4, seen.size());
    assertEquals("auto", auto.name());
  }

  @Test
  void autoRefusesWhenTheToleranceCannotBeCertified() {
    Rng rng = new Rng(64);
    Tensor q = Tensor.rand(rng, DType.F64, -3, 3, 1, 4096, 2); // R up to 18: float64 cannot certify 1e-12
    AutoAttentionKernel auto = new AutoAttentionKernel(1e-12, CostModel.DEFAULT);
    auto.attend(q, q, q, 1, 1.0, null, false);
    KernelDecision d = auto.lastDecision();
    assertFalse(d.fast());
    assertTrue(d.reason().contains("bound") || d.reason().contains("predicted") || d.reason().contains("no polynomial"),
        d.toString());
  }
}
