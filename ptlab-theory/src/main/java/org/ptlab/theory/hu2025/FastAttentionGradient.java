package org.ptlab.theory.hu2025;

/**
 * The backward pass of softmax attention in almost linear time (spec hu2025.md §4.5, the "gradient with respect to
 * the soft prompt", [D]): given G = dℓ/dO for O = f·V, f = softmax(scale·QKᵀ), it returns dℓ/dQ, dℓ/dK, dℓ/dV
 * without any nq×nk matrix, in O((nq + nk)·r·(dv + s + dv·s)).
 *
 * <p>With Ŝ = dℓ/dS = f ⊙ (G Vᵀ) − diag(ρ) f, ρ_i = G_i·O_i:
 * dQ_i = scale·Σ_j Ŝ_ij k_j, dK_j = scale·Σ_i Ŝ_ij q_i, dV_j = Σ_i f_ij G_i. Replacing f by
 * f̃_ij = φ(scale·q_i)·ψ(k_j)/w̃_i, every sum over j or i becomes a feature sum of a row-wise Kronecker product
 * (⊘, {@link RowKronecker}), because f ⊙ (G Vᵀ) = (U_1 ⊘ G)(U_2 ⊘ V)ᵀ up to the row scaling:
 * <ul>
 *   <li>key side: M_K = U_2ᵀ[V | 1 | K | V⊘K], evaluated at the queries, gives Õ_i, w̃_i, K̄_i = Σ_j f̃_ij k_j and
 *       Σ_j f̃_ij V_j⊗k_j, hence dQ_i = scale·(Σ_c G_ic·(Σ_j f̃_ij V_jc k_j) − ρ_i K̄_i);
 *   <li>query side: M_Q = U_1ᵀ([G | G⊘Q | ρ·Q]/w̃), evaluated at the keys, gives dV_j and
 *       dK_j = scale·(Σ_c V_jc·(Σ_i f̃_ij G_ic q_i) − Σ_i f̃_ij ρ_i q_i).
 * </ul>
 * A query row that fails the guard ({@link PolynomialAttention}) is handled exactly (O(nk·(s+dv)) for that row).
 * Masked keys (keep[j] false) get zero gradients. Layout as in {@link PolynomialAttention}: tokens are rows, row-major float64.
 */
public final class FastAttentionGradient {
  private FastAttentionGradient() {}

  /**
   * @param q [nq, s], k [nk, s], v [nk, dv], g = dℓ/dO [nq, dv]; none modified
   * @param keep [nk] or null
   */
  public static AttentionGradient compute(PolyPlan plan, double[] q, int nq, double[] k, int nk, int s, double[] v,
      int dv, double[] g, double scale, boolean[] keep) {
    Monomials mono = PolynomialAttention.featureMap(s, plan.degree());
    double[] w = mono.weights(plan.approx().coeffs());
    // key side: Y_K = [V | 1 | K | V⊘K]  [nk, cK]
    int cK = dv + 1 + s + dv * s;
    double[] yk = new double[nk * cK];
    double[] vk = RowKronecker.of(v, k, nk, dv, s); // [nk, dv·s]
    for (int j = 0; j < nk; j++) {
      System.arraycopy(v, j * dv, yk, j * cK, dv);
      yk[j * cK + dv] = 1;
      System.arraycopy(k, j * s, yk, j * cK + dv + 1, s);
      System.arraycopy(vk, j * dv * s, yk, j * cK + dv + 1 + s, dv * s);
    }
    double[] ek = FeatureSums.evaluate(mono, q, nq, scale, FeatureSums.accumulate(mono, w, k, nk, 1, yk, cK, keep),
        cK); // [nq, cK]
    double[] out = new double[nq * dv];
    double[] dq = new double[nq * s];
    double[] dk = new double[nk * s];
    double[] dvOut = new double[nk * dv];
    // query side: Z = [G | G⊘Q | ρ·Q] / w̃  [nq, cQ]; fallback rows stay 0 here and are added exactly below
    int cQ = dv + dv * s + s;
    double[] z = new double[nq * cQ];
    double[] gq = RowKronecker.of(g, q, nq, dv, s); // [nq, dv·s]
    int fallback = 0;
    PolynomialAttention.Guard guard = new PolynomialAttention.Guard(v, nk, dv, keep, plan.bound());
    for (int i = 0; i < nq; i++) {
      int e = i * cK;
      double wi = ek[e + dv];
      if (!guard.accept(ek, e, wi, out, i * dv)) {
        java.util.Arrays.fill(out, i * dv, i * dv + dv, 0);
        exactRow(q, i, k, nk, s, v, dv, g, scale, keep, out, dq, dk, dvOut);
        fallback++;
        continue;
      }
      double rho = 0;
      for (int c = 0; c < dv; c++) rho += g[i * dv + c] * out[i * dv + c];
      for (int m = 0; m < s; m++) {
        double sum = 0;
        for (int c = 0; c < dv; c++) sum += g[i * dv + c] * ek[e + dv + 1 + s + c * s + m];
        dq[i * s + m] = scale * (sum - rho * ek[e + dv + 1 + m]) / wi;
      }
      int o = i * cQ;
      for (int c = 0; c < dv; c++) z[o + c] = g[i * dv + c] / wi;
      for (int c = 0; c < dv * s; c++) z[o + dv + c] = gq[i * dv * s + c] / wi;
      for (int m = 0; m < s; m++) z[o + dv + dv * s + m] = rho * q[i * s + m] / wi;
    }
    double[] eq = FeatureSums.evaluate(mono, k, nk, 1, FeatureSums.accumulate(mono, w, q, nq, scale, z, cQ, null),
        cQ); // [nk, cQ]
    for (int j = 0; j < nk; j++) {
      if (keep != null && !keep[j]) continue;
      int e = j * cQ;
      for (int c = 0; c < dv; c++) dvOut[j * dv + c] += eq[e + c];
      for (int m = 0; m < s; m++) {
        double sum = 0;
        for (int c = 0; c < dv; c++) sum += v[j * dv + c] * eq[e + dv + c * s + m];
        dk[j * s + m] += scale * (sum - eq[e + dv + dv * s + m]);
      }
    }
    double[] b = AttentionGradient.bounds(plan, q, nq, k, nk, s, g, dv, scale, keep);
    return new AttentionGradient(dq, dk, dvOut, out, plan, mono.rank(), fallback, b[0], b[1], b[2]);
  }

  /**
   * The exact gradients by the same formulas with the exact f, row by row: O(nq·nk·(s+dv)) time, O(nk) memory, no
   * n×n matrix, and bit-reproducible (scalar {@link Math#exp}); the reference for error measurements.
   * Returns {dq [nq, s], dk [nk, s], dv [nk, dv]}.
   */
  public static double[][] exact(double[] q, int nq, double[] k, int nk, int s, double[] v, int dv, double[] g,
      double scale, boolean[] keep) {
    double[] out = new double[nq * dv];
    double[] dq = new double[nq * s];
    double[] dk = new double[nk * s];
    double[] dvOut = new double[nk * dv];
    for (int i = 0; i < nq; i++) exactRow(q, i, k, nk, s, v, dv, g, scale, keep, out, dq, dk, dvOut);
    return new double[][] {dq, dk, dvOut};
  }

  /** One query row's exact forward and its exact contributions to dq (its row), dk and dv (all keys). */
  private static void exactRow(double[] q, int i, double[] k, int nk, int s, double[] v, int dv, double[] g,
      double scale, boolean[] keep, double[] out, double[] dq, double[] dk, double[] dvOut) {
    double[] f = new double[nk];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < nk; j++) {
      if (keep != null && !keep[j]) continue;
      double t = 0;
      for (int m = 0; m < s; m++) t += q[i * s + m] * k[j * s + m];
      f[j] = scale * t;
      max = Math.max(max, f[j]);
    }
    if (max == Double.NEGATIVE_INFINITY) return; // no visible key: output 0, no gradient
    double sum = 0;
    for (int j = 0; j < nk; j++) {
      f[j] = keep != null && !keep[j] ? 0 : Math.exp(f[j] - max);
      sum += f[j];
    }
    double rho = 0;
    for (int j = 0; j < nk; j++) {
      f[j] /= sum;
      for (int c = 0; c < dv; c++) out[i * dv + c] += f[j] * v[j * dv + c];
    }
    for (int c = 0; c < dv; c++) rho += g[i * dv + c] * out[i * dv + c];
    for (int j = 0; j < nk; j++) {
      if (f[j] == 0) continue;
      double a = 0;
      for (int c = 0; c < dv; c++) {
        a += g[i * dv + c] * v[j * dv + c];
        dvOut[j * dv + c] += f[j] * g[i * dv + c];
      }
      double sHat = f[j] * (a - rho); // dℓ/dS_ij
      for (int m = 0; m < s; m++) {
        dq[i * s + m] += scale * sHat * k[j * s + m];
        dk[j * s + m] += scale * sHat * q[i * s + m];
      }
    }
  }
}
