package org.ptlab.theory.hu2025;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The frozen single-layer, single-head block τ = FF ∘ Attn of spec hu2025.md §1.2 under prompt tuning (§1.3–1.4):
 * the instance of APTI(d, L, L_p, B, δ_F) (§4.1). Row convention (tokens are rows; the paper's columns):
 * X_p = [P; X] [n, d] with n = L_p + L, and
 * <pre>
 *   Q = X_q W_Q [nq, s]   K = X_p W_K [n, s]   V = X_p W_V [n, s]      (X_q = X, or X_p with allRows)
 *   Attn = X_q + softmax(scale·Q Kᵀ)·V·W_O                             (W_O [s, d])
 *   τ = Attn + ReLU(Attn·W_1 + b_1)·W_2 + b_2                          (W_1 [d, l], W_2 [l, d])
 * </pre>
 * (the paper's W_O W_V Z ∈ R^{d×n} is (X_p W_V W_O)ᵀ here). The prediction is τ at the last L rows; the prompt
 * P [L_p, d] is the only trainable tensor, so gradients w.r.t. P flow through K and V (and Q with allRows), in
 * almost linear time when the kernel is the polynomial one (§4.5).
 *
 * @param wq W_Q [d, s]
 * @param wk W_K [d, s]
 * @param wv W_V [d, s]
 * @param wo W_O [s, d]
 * @param w1 W_1 [d, l]
 * @param b1 b_1 [l]
 * @param w2 W_2 [l, d]
 * @param b2 b_2 [d]
 * @param scale multiplies Q Kᵀ (1 in the paper; 1/s for Alman–Song's exp(QKᵀ/d) normalization)
 */
public record PromptAttentionLayer(Tensor wq, Tensor wk, Tensor wv, Tensor wo, Tensor w1, Tensor b1, Tensor w2,
    Tensor b2, double scale) {

  /** Random frozen weights: attention maps N(0, 1/d), FF N(0, 2/d) and N(0, 1/l), biases N(0, 0.01). */
  public static PromptAttentionLayer random(Rng rng, int d, int s, int l, double scale) {
    double a = 1 / Math.sqrt(d);
    return new PromptAttentionLayer(Tensor.randn(rng, DType.F64, a, d, s), Tensor.randn(rng, DType.F64, a, d, s),
        Tensor.randn(rng, DType.F64, a, d, s), Tensor.randn(rng, DType.F64, 1 / Math.sqrt(s), s, d),
        Tensor.randn(rng, DType.F64, Math.sqrt(2.0 / d), d, l), Tensor.randn(rng, DType.F64, 0.1, l),
        Tensor.randn(rng, DType.F64, 1 / Math.sqrt(l), l, d), Tensor.randn(rng, DType.F64, 0.1, d), scale);
  }

  /**
   * The reduction layer of check E1 (spec §4.3): W_Q = W_K = W_V = W_O = I_d and a zero FF (W_2 = 0, b_2 = 0), so
   * τ([P; X]) − X_q is exactly Att(Q, K, V) with Q = X_q, K = V = X_p: any AAttC instance is an APTI instance.
   */
  public static PromptAttentionLayer identity(int d, int l, double scale) {
    Tensor eye = Tensor.zeros(DType.F64, d, d);
    for (int i = 0; i < d; i++) eye.setFlat(i * d + i, 1);
    return new PromptAttentionLayer(eye, eye, eye, eye, Tensor.zeros(DType.F64, d, l), Tensor.zeros(DType.F64, l),
        Tensor.zeros(DType.F64, l, d), Tensor.zeros(DType.F64, d), scale);
  }

  /** X_p = [P; X]: [L_p + L, d]. */
  public static Tensor inputs(Tensor p, Tensor x) {
    return Tensor.concat(0, p, x);
  }

  /** The queries' rows: X [L, d], or X_p with allRows. */
  static Tensor queryRows(Tensor p, Tensor x, boolean allRows) {
    return allRows ? inputs(p, x) : x;
  }

  /** Q [nq, s]. */
  public Tensor queries(Tensor p, Tensor x, boolean allRows) {
    return queryRows(p, x, allRows).matmul(wq);
  }

  /** K [n, s]. */
  public Tensor keys(Tensor p, Tensor x) {
    return inputs(p, x).matmul(wk);
  }

  /** V [n, s] (before W_O). */
  public Tensor values(Tensor p, Tensor x) {
    return inputs(p, x).matmul(wv);
  }

  /**
   * τ([P; X]) at the last L rows [L, d] (allRows: all n rows [n, d]), attention by {@code kernel}.
   *
   * @param p the soft prompt [L_p, d]
   * @param x the input [L, d]
   */
  public Tensor forward(Tensor p, Tensor x, AttentionKernel kernel, boolean allRows) {
    Tensor xq = queryRows(p, x, allRows); // [nq, d]
    Tensor q = xq.matmul(wq); // [nq, s]
    Tensor k = keys(p, x); // [n, s]
    Tensor v = values(p, x); // [n, s]
    int nq = q.dim(0);
    int n = k.dim(0);
    int s = q.dim(1);
    Tensor att = kernel.attend(q.reshape(1, nq, s), k.reshape(1, n, s), v.reshape(1, n, s), 1, scale, null, false)
        .reshape(nq, s); // [nq, s]
    Tensor z = xq.add(att.matmul(wo)); // Attn, [nq, d]
    return z.add(z.matmul(w1).add(b1).relu().matmul(w2)).add(b2); // FF with its residual, [nq, d]
  }
}
