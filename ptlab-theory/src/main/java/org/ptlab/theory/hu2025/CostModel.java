package org.ptlab.theory.hu2025;

import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.ops.Attention;

/**
 * Predicted forward times of exact and polynomial attention for one head, used by {@link AutoAttentionKernel} and
 * the regime classifier. Deterministic (no timing at run time), so a kernel's choice depends on shapes and data
 * only.
 * <ul>
 *   <li>exact: {@code exactCallMs} + ns·nq·nk·(s + sv + 4): scores, softmax (an exp counted as 4 multiply-adds)
 *       and P·V, at one of two rates: {@code exactNs} for the engine's GEMM path (a backward will follow, a mask,
 *       causal, float32, few keys or wide heads) and {@code exactRowNs} for its float64 row kernel ({@link #rowKernel},
 *       which asks the engine: {@link Attention#takesRowKernel});
 *   <li>polynomial: {@code fastCallMs} + {@code fastNs}·(nq + nk)·r·(sv + 2): per row and feature one monomial
 *       product and sv + 1 FMAs (the ones column gives the denominators), on each side; the fixed part is the plan
 *       (choosing and certifying the polynomial, ~0.02 ms) and the scratch of the feature sums.
 * </ul>
 * The fixed parts decide at short sequences: without them the per-unit rates, fitted at long ones, would send a
 * 32-token head down a polynomial path that takes 3× exact's time.
 *
 * @param exactNs nanoseconds per unit of exact work on the GEMM path
 * @param exactRowNs nanoseconds per unit of exact work on the float64 row kernel
 * @param fastNs nanoseconds per unit of polynomial work
 * @param exactCallMs fixed milliseconds per head of exact attention
 * @param fastCallMs fixed milliseconds per head of the polynomial method
 */
public record CostModel(double exactNs, double exactRowNs, double fastNs, double exactCallMs, double fastCallMs) {
  /**
   * Measured on the development machine (Intel Xeon, AVX-512, JDK 25) as single-thread CPU time, s = 4, n = 256 …
   * 8192, 2026-12-07 (notes/bench.md, "polynomial path"): the GEMM path with a backward to follow 0.65–0.88 ns per
   * unit, the row kernel 0.17–0.18, {@link FeatureSums}' polynomial forward 0.069 for n ≥ 1024 (0.13 at n = 256,
   * 0.38 at n = 64, where per-call costs dominate); fixed parts from n = 16 … 512: about 0.03 ms per exact head and
   * 0.05 ms per polynomial one. The fast path and the row kernel split their rows over the threads alike, so the
   * ratio, which is what decides, holds at 2 threads.
   */
  public static final CostModel DEFAULT = new CostModel(0.75, 0.17, 0.07, 0.03, 0.05);

  public CostModel {
    if (!(exactNs > 0 && exactRowNs > 0 && fastNs > 0 && exactCallMs >= 0 && fastCallMs >= 0)) {
      throw new IllegalArgumentException("CostModel: constants must be > 0");
    }
  }

  /** Exact attention of nq queries over nk keys on the GEMM path. */
  public double exactMs(long nq, long nk, int s, int sv) {
    return exactMs(nq, nk, s, sv, false);
  }

  /** Exact attention of nq queries over nk keys, on the row kernel when {@code rowKernel}. */
  public double exactMs(long nq, long nk, int s, int sv, boolean rowKernel) {
    return exactCallMs + (rowKernel ? exactRowNs : exactNs) * nq * nk * (s + sv + 4) / 1e6;
  }

  /** The polynomial method at rank r. */
  public double fastMs(long nq, long nk, double rank, int sv) {
    return fastCallMs + fastNs * (nq + nk) * rank * (sv + 2) / 1e6;
  }

  /**
   * Whether the engine's exact attention on these inputs takes its float64 row kernel: no backward to record and
   * the engine's own conditions ({@link Attention#takesRowKernel}).
   */
  public static boolean rowKernel(Tensor q, Tensor k, Tensor v, int tk, int s, int sv, double scale, Tensor attendMask,
      boolean causal) {
    return !Tensor.willRecord(q, k, v)
        && Attention.takesRowKernel(q.dtype(), tk, s, sv, scale, attendMask != null, causal);
  }
}
