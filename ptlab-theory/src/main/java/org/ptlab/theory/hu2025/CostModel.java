package org.ptlab.theory.hu2025;

/**
 * Predicted forward times of exact and polynomial attention for one head, used by {@link AutoAttentionKernel} and
 * the regime classifier. Deterministic (no timing at run time), so a kernel's choice depends on shapes and data
 * only.
 * <ul>
 *   <li>exact: {@code exactNs}·nq·nk·(s + sv + 4): scores, softmax (an exp counted as 4 multiply-adds) and P·V;
 *   <li>polynomial: {@code fastNs}·(nq + nk)·r·(sv + 2): per row and feature one monomial product and sv + 1 FMAs
 *       (the ones column gives the denominators), on each side.
 * </ul>
 *
 * @param exactNs nanoseconds per unit of exact work
 * @param fastNs nanoseconds per unit of polynomial work
 */
public record CostModel(double exactNs, double fastNs) {
  /**
   * Fitted to {@code ptlab bench attention} on the 2-vCPU development machine (AMD EPYC Zen 5, AVX-512, 2 threads,
   * s = 4, quiet machine): the engine's blocked exact attention costs 0.094–0.11 ns per unit for n ≥ 4096 and
   * {@link FeatureSums} 0.058–0.062 for n ≥ 8192. Below n = 2048 both are about twice that (per-call overheads),
   * so their ratio, which is what decides, holds there too (see notes/hu2025.md).
   */
  public static final CostModel DEFAULT = new CostModel(0.10, 0.06);

  public CostModel {
    if (!(exactNs > 0 && fastNs > 0)) throw new IllegalArgumentException("CostModel: constants must be > 0");
  }

  /** Exact attention of nq queries over nk keys. */
  public double exactMs(long nq, long nk, int s, int sv) {
    return exactNs * nq * nk * (s + sv + 4) / 1e6;
  }

  /** The polynomial method at rank r. */
  public double fastMs(long nq, long nk, double rank, int sv) {
    return fastNs * (nq + nk) * rank * (sv + 2) / 1e6;
  }
}
