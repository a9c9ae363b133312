package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradCheck;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Check C1 (spec hu2025.md §7): the almost-linear gradient against exact autograd and finite differences. */
class FastAttentionGradientTest {
  /** Exact dℓ/dQ, dℓ/dK, dℓ/dV of ℓ = Σ G⊙O through the engine's fused attention. */
  static double[][] exactGrads(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double[] g,
      double scale, boolean[] keep) {
    Tensor qt = Tensor.of(q.clone(), 1, nq, s).requiresGrad(true);
    Tensor kt = Tensor.of(k.clone(), 1, nk, s).requiresGrad(true);
    Tensor vt = Tensor.of(v.clone(), 1, nk, dv).requiresGrad(true);
    Tensor mask = null;
    if (keep != null) {
      mask = Tensor.zeros(DType.F64, 1, nk);
      for (int j = 0; j < nk; j++) mask.setFlat(j, keep[j] ? 1 : 0);
    }
    Tensor out = Tensor.attention(qt, kt, vt, 1, scale, mask, false);
    out.mul(Tensor.of(g.clone(), 1, nq, dv)).sum().backward();
    return new double[][] {qt.grad().toDoubleArray(), kt.grad().toDoubleArray(), vt.grad().toDoubleArray()};
  }

  @Test
  void c1MatchesExactAutogradWithinTheCertifiedBounds() {
    Rng rng = new Rng(21);
    int nq = 37;
    int nk = 53;
    int s = 3;
    int dv = 2;
    double scale = 0.7;
    double[] q = Data.uniform(rng, nq, s, -0.8, 0.8);
    double[] k = Data.uniform(rng, nk, s, -0.8, 0.8);
    double[] v = Data.uniform(rng, nk, dv, -1, 1);
    double[] g = Data.uniform(rng, nq, dv, -1, 1);
    boolean[] keep = new boolean[nk];
    for (int j = 0; j < nk; j++) keep[j] = j % 7 != 3;
    for (double eps : new double[] {1e-3, 1e-6, 1e-10}) {
      PolyPlan plan = PolynomialAttention.relativeError(eps).plan(q, nq, k, nk, s, v, dv, scale, keep);
      AttentionGradient fast = FastAttentionGradient.compute(plan, q, nq, k, nk, s, v, dv, g, scale, keep);
      double[][] exact = exactGrads(q, nq, k, nk, s, v, dv, g, scale, keep);
      double eq = Data.maxAbsDiff(fast.dq(), exact[0]);
      double ek = Data.maxAbsDiff(fast.dk(), exact[1]);
      double ev = Data.maxAbsDiff(fast.dv(), exact[2]);
      assertTrue(eq <= fast.boundDq() && ek <= fast.boundDk() && ev <= fast.boundDv(),
          "eps=" + eps + ": errors " + eq + ", " + ek + ", " + ev + " bounds " + fast.boundDq() + ", "
              + fast.boundDk() + ", " + fast.boundDv());
      // the spec's C1 tolerance: max-norm error <= 10·eps·(scale of the gradient)
      double gradScale = Math.max(Data.maxAbsDiff(exact[0], new double[exact[0].length]),
          Data.maxAbsDiff(exact[1], new double[exact[1].length]));
      assertTrue(Math.max(eq, ek) <= 10 * eps * Math.max(1, gradScale), "eps=" + eps);
      for (int j = 0; j < nk; j++) if (!keep[j]) assertEquals(0, fast.dk()[j * s] + fast.dv()[j * dv]);
    }
  }

  @Test
  void c1FailsWithACertificateForTheWrongRange() {
    Rng rng = new Rng(22);
    int n = 40;
    int s = 3;
    double[] q = Data.uniform(rng, n, s, -1.5, 1.5);
    double[] k = Data.uniform(rng, n, s, -1.5, 1.5);
    double[] v = Data.uniform(rng, n, s, -1, 1);
    double[] g = Data.uniform(rng, n, s, -1, 1);
    PolyPlan wrong = new PolyPlan(0.5, 1e-6, ExpApprox.choose(0.5, 1e-6), 1); // real scores reach ~6
    AttentionGradient fast = FastAttentionGradient.compute(wrong, q, n, k, n, s, v, s, g, 1.0, null);
    double[][] exact = exactGrads(q, n, k, n, s, v, s, g, 1.0, null);
    assertTrue(Data.maxAbsDiff(fast.dq(), exact[0]) > fast.boundDq());
  }

  @Test
  void c1FiniteDifferencesOfTheKernelAgreeWithItsBackward() {
    // GradCheck compares the polynomial kernel's backward (the §4.5 gradient) with central differences of its own
    // forward; both are within ~eps of exact attention, so they agree to ~eps plus the O(h²) differencing error.
    Rng rng = new Rng(23);
    Tensor q = Tensor.rand(rng, DType.F64, -0.6, 0.6, 2, 5, 4).requiresGrad(true); // [B, Tq, H·s], H = 2
    Tensor k = Tensor.rand(rng, DType.F64, -0.6, 0.6, 2, 7, 4).requiresGrad(true);
    Tensor v = Tensor.rand(rng, DType.F64, -1, 1, 2, 7, 6).requiresGrad(true);
    AttentionKernel kernel = new PolynomialAttentionKernel(PolynomialAttention.relativeError(1e-11), CostModel.DEFAULT);
    double err = GradCheck.relativeError(in -> kernel.attend(in[0], in[1], in[2], 2, 0.9, null, false), q, k, v);
    assertTrue(err < 1e-7, "relative gradient error " + err);
    // the same check on a coarse kernel (eps = 1e-2) shows the O(eps) gap: it can fail
    AttentionKernel coarse = new PolynomialAttentionKernel(PolynomialAttention.fixedDegree(1,
        ExpApprox.Series.TAYLOR), CostModel.DEFAULT);
    double coarseErr = GradCheck.relativeError(in -> coarse.attend(in[0], in[1], in[2], 2, 0.9, null, false), q, k, v);
    assertTrue(coarseErr > 1e-4, "degree 1 must not pass: " + coarseErr);
  }

  @Test
  void promptGradientThroughTheLayerMatchesExactAutograd() {
    // ∂ℓ/∂P for the prompt-tuning block of §1.2 (only the last L rows read): polynomial kernel vs exact kernel
    Rng rng = new Rng(24);
    int d = 6;
    PromptAttentionLayer layer = PromptAttentionLayer.random(rng, d, 3, 8, 1.0);
    Tensor x = Tensor.rand(rng, DType.F64, -0.5, 0.5, 9, d); // L = 9
    Tensor y = Tensor.randn(rng, DType.F64, 1, 9, d);
    Tensor p0 = Tensor.rand(rng, DType.F64, -0.5, 0.5, 5, d); // L_p = 5
    double[][] grads = new double[2][];
    AttentionKernel[] kernels = {AttentionKernel.EXACT, PolynomialAttentionKernel.tolerance(1e-10)};
    for (int i = 0; i < 2; i++) {
      Tensor p = p0.copy().requiresGrad(true);
      layer.forward(p, x, kernels[i], false).sub(y).square().sum().mul(0.5).backward();
      grads[i] = p.grad().toDoubleArray();
    }
    double scaleOfGrad = Data.maxAbsDiff(grads[0], new double[grads[0].length]);
    assertTrue(scaleOfGrad > 1e-3);
    assertTrue(Data.maxAbsDiff(grads[0], grads[1]) < 1e-8 * scaleOfGrad, "prompt gradients differ");
  }
}
