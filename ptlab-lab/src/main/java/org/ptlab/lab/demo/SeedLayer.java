package org.ptlab.lab.demo;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The seeds' layer of DESIGN.md and wang2023.md §1.3, with frozen random weights: τ(X) = MLP(Att(X, X) + X),
 * MLP(z) = z + W2·ReLU(W1·z + b1) + b2, one head, no layer norm, no 1/√d (it is folded into W_K). Row-major:
 * tokens are rows, X is [B, T, d], weights are [in, out] (the paper writes W·x with tokens as columns).
 *
 * <p>Prompt tuning prepends P [m, d] to every sequence; the output is read at the input positions only, so the
 * queries are the input tokens and the keys/values are [P; X]. LoRA adds a low-rank ΔW to W_q and W_v.
 *
 * <p>Written from engine ops before {@code ptlab-nn} existed; the {@code paper} preset is the same layer with an
 * extra W_o. Kept so D0 stays comparable across sessions; the paper experiments use the preset.
 */
final class SeedLayer {
  final int d;
  final Tensor wq;
  final Tensor wk;
  final Tensor wv;
  final Tensor w1;
  final Tensor b1;
  final Tensor w2;
  final Tensor b2;

  private SeedLayer(int d, Tensor wq, Tensor wk, Tensor wv, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    this.d = d;
    this.wq = wq;
    this.wk = wk;
    this.wv = wv;
    this.w1 = w1;
    this.b1 = b1;
    this.w2 = w2;
    this.b2 = b2;
  }

  /**
   * Random frozen weights in float64: attention maps with entries N(0, 1/d), so scores q·k have variance about d
   * for unit-variance tokens (peaked but not hard attention); MLP with He-scaled W1 and small biases.
   */
  static SeedLayer random(Rng rng, int d, int hidden) {
    double a = 1 / Math.sqrt(d);
    return new SeedLayer(d,
        Tensor.randn(rng, DType.F64, a, d, d), // W_q [d, d]
        Tensor.randn(rng, DType.F64, a, d, d), // W_k [d, d]
        Tensor.randn(rng, DType.F64, a, d, d), // W_v [d, d]
        Tensor.randn(rng, DType.F64, Math.sqrt(2.0 / d), d, hidden), // W1 [d, r]
        Tensor.randn(rng, DType.F64, 0.1, hidden), // b1 [r]
        Tensor.randn(rng, DType.F64, 1 / Math.sqrt(hidden), hidden, d), // W2 [r, d]
        Tensor.randn(rng, DType.F64, 0.1, d)); // b2 [d]
  }

  /**
   * τ([P; X]) at the input positions.
   *
   * @param x inputs [B, n, d]
   * @param prompt P [m, d], or null for no prompt
   * @param deltaQ additive update of W_q [d, d] (LoRA's A·B), or null
   * @param deltaV additive update of W_v [d, d], or null
   * @return [B, n, d]
   */
  Tensor forward(Tensor x, Tensor prompt, Tensor deltaQ, Tensor deltaV) {
    int batch = x.dim(0);
    Tensor h = x; // [B, m+n, d] keys and values come from prompt + input
    if (prompt != null) {
      Tensor p = prompt.expand(batch, prompt.dim(0), d); // [B, m, d]
      h = Tensor.concat(1, p, x);
    }
    Tensor q = x.matmul(deltaQ == null ? wq : wq.add(deltaQ)); // [B, n, d]
    Tensor k = h.matmul(wk); // [B, m+n, d]
    Tensor v = h.matmul(deltaV == null ? wv : wv.add(deltaV)); // [B, m+n, d]
    Tensor z = Tensor.attention(q, k, v, 1, 1.0, null, false).add(x); // Att(X, [P;X]) + X  [B, n, d]
    Tensor hidden = z.matmul(w1).add(b1).relu(); // [B, n, r]
    return z.add(hidden.matmul(w2)).add(b2); // MLP with its residual  [B, n, d]
  }
}
