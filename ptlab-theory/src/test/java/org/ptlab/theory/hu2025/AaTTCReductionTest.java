package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Check E1 (spec hu2025.md §7, §4.3): APTI contains AAttC. With W_Q = W_K = W_V = W_O = I and a zero FF,
 * τ([P; X]) − X_p is Alman–Song's Att(Q, K, V), so the prompt-tuning inference engine and the standalone
 * polynomial method agree.
 */
class AaTTCReductionTest {
  @Test
  void e1IdentityLayerMinusItsInputIsAttention() {
    Rng rng = new Rng(41);
    int d = 4;
    double scale = 1.0 / d; // Alman–Song's exp(QKᵀ/d)
    PromptAttentionLayer layer = PromptAttentionLayer.identity(d, 5, scale);
    Tensor p = Tensor.rand(rng, DType.F64, -1, 1, 30, d); // L_p = 30
    Tensor x = Tensor.rand(rng, DType.F64, -1, 1, 50, d); // L = 50
    double[] xp = PromptAttentionLayer.inputs(p, x).toDoubleArray(); // Q = K = V = X_p  [80, d]
    int n = 80;
    double[] att = ExactAttention.dense(xp, n, xp, n, d, xp, d, scale, null);
    PolynomialAttentionKernel poly = PolynomialAttentionKernel.tolerance(1e-9);
    double[] tauExact = layer.forward(p, x, AttentionKernel.EXACT, true).toDoubleArray();
    double[] tauPoly = layer.forward(p, x, poly, true).toDoubleArray();
    PolyResult standalone = PolynomialAttention.tolerance(1e-9).attend(xp, n, xp, n, d, xp, d, scale, null);
    for (int i = 0; i < tauExact.length; i++) {
      tauExact[i] -= xp[i];
      tauPoly[i] -= xp[i];
    }
    assertTrue(Data.maxAbsDiff(tauExact, att) < 1e-14, "exact engine vs exact Att");
    assertTrue(Data.maxAbsDiff(tauPoly, standalone.out()) < 1e-15, "engine with the polynomial kernel vs standalone");
    assertTrue(Data.maxAbsDiff(tauPoly, att) <= standalone.bound() + 1e-15);
    // the prediction rows only (τ([P, X])_{:, L_p:}) restrict it to the last L queries: the rectangular case
    double[] last = layer.forward(p, x, poly, false).toDoubleArray();
    for (int i = 0; i < last.length; i++) last[i] -= xp[30 * d + i];
    assertTrue(Data.maxAbsDiff(last, Data.rows(att, d, 30, n)) <= standalone.bound() + 1e-15);
  }

  @Test
  void e1AnyAttCInstanceEmbedsWithSelectorWeights() {
    // distinct Q, K, V [n, s]: put X_p = [Q | K | V] (d = 3s) and let W_Q, W_K, W_V select the blocks
    Rng rng = new Rng(42);
    int s = 2;
    int d = 3 * s;
    int n = 40;
    double[] q = Data.uniform(rng, n, s, -1, 1);
    double[] k = Data.uniform(rng, n, s, -1, 1);
    double[] v = Data.uniform(rng, n, s, 0, 1);
    double[] rows = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(q, i * s, rows, i * d, s);
      System.arraycopy(k, i * s, rows, i * d + s, s);
      System.arraycopy(v, i * s, rows, i * d + 2 * s, s);
    }
    Tensor wq = Tensor.zeros(DType.F64, d, s);
    Tensor wk = Tensor.zeros(DType.F64, d, s);
    Tensor wv = Tensor.zeros(DType.F64, d, s);
    Tensor wo = Tensor.zeros(DType.F64, s, d);
    for (int m = 0; m < s; m++) {
      wq.setFlat(m * s + m, 1);
      wk.setFlat((s + m) * s + m, 1);
      wv.setFlat((2 * s + m) * s + m, 1);
      wo.setFlat(m * d + m, 1); // writes Att into the Q block
    }
    PromptAttentionLayer layer = new PromptAttentionLayer(wq, wk, wv, wo, Tensor.zeros(DType.F64, d, 3),
        Tensor.zeros(DType.F64, 3), Tensor.zeros(DType.F64, 3, d), Tensor.zeros(DType.F64, d), 1.0);
    Tensor all = Tensor.of(rows, n, d);
    Tensor p = all.slice(0, 0, 15); // the first L_p rows are the prompt
    Tensor x = all.slice(0, 15, n);
    double[] tau = layer.forward(p, x, PolynomialAttentionKernel.tolerance(1e-10), true).toDoubleArray();
    double[] att = ExactAttention.dense(q, n, k, n, s, v, s, 1.0, null);
    for (int i = 0; i < n; i++) {
      for (int m = 0; m < s; m++) assertTrue(Math.abs(tau[i * d + m] - rows[i * d + m] - att[i * s + m]) < 1e-9);
    }
  }

  @Test
  void e1FailsWithANonZeroFeedForward() {
    Rng rng = new Rng(43);
    int d = 4;
    PromptAttentionLayer random = PromptAttentionLayer.random(rng, d, d, 5, 0.25);
    PromptAttentionLayer withFf = new PromptAttentionLayer(PromptAttentionLayer.identity(d, 5, 0.25).wq(),
        PromptAttentionLayer.identity(d, 5, 0.25).wk(), PromptAttentionLayer.identity(d, 5, 0.25).wv(),
        PromptAttentionLayer.identity(d, 5, 0.25).wo(), random.w1(), random.b1(), random.w2(), random.b2(), 0.25);
    Tensor p = Tensor.rand(rng, DType.F64, -1, 1, 6, d);
    Tensor x = Tensor.rand(rng, DType.F64, -1, 1, 10, d);
    double[] xp = PromptAttentionLayer.inputs(p, x).toDoubleArray();
    double[] tau = withFf.forward(p, x, AttentionKernel.EXACT, true).toDoubleArray();
    for (int i = 0; i < tau.length; i++) tau[i] -= xp[i];
    assertTrue(Data.maxAbsDiff(tau, ExactAttention.dense(xp, 16, xp, 16, d, xp, d, 0.25, null)) > 1e-2);
  }
}
