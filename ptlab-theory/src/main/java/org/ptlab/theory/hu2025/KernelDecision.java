package org.ptlab.theory.hu2025;

/**
 * What a fast attention kernel ({@link PolynomialAttentionKernel}, {@link AutoAttentionKernel}) did on one call,
 * observable through a listener, {@code lastDecision()} and the log. Over the B·H heads of the call: the largest R,
 * degree, rank and certified bound.
 *
 * @param kernel the kernel's name ("polynomial" or "auto")
 * @param path "polynomial" or "exact": what actually ran
 * @param reason why, in one phrase (e.g. "bound 3.1e-07 <= tolerance 1e-06 and predicted 4.1 ms < 96 ms")
 * @param problems B·H
 * @param tq query rows
 * @param tk key rows
 * @param range max over heads of the exponent-range bound R
 * @param degree max degree g (−1 when no polynomial was planned)
 * @param rank max rank r (0 when none)
 * @param bound max certified ‖T − Att‖_max over heads on the polynomial path (0 on the exact path: exact)
 * @param fallbackRows rows recomputed exactly by the denominator guard
 * @param predictedFastMs the cost model's forward time of the polynomial path (NaN if not planned)
 * @param predictedExactMs the cost model's forward time of exact attention
 */
public record KernelDecision(String kernel, String path, String reason, int problems, int tq, int tk, double range,
    int degree, long rank, double bound, int fallbackRows, double predictedFastMs, double predictedExactMs) {
  /** True when the polynomial path ran. */
  public boolean fast() {
    return "polynomial".equals(path);
  }

  @Override
  public String toString() {
    return String.format("%s attention: %s path (%s); B·H=%d, Tq=%d, Tk=%d, R=%.4g, g=%d, r=%d, bound=%.3g, "
        + "fallback rows=%d, predicted fast %.3g ms vs exact %.3g ms", kernel, path, reason, problems, tq, tk, range,
        degree, rank, bound, fallbackRows, predictedFastMs, predictedExactMs);
  }
}
