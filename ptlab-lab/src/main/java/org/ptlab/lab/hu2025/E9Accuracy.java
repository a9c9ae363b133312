package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.ExactAttention;
import org.ptlab.theory.hu2025.ExpApprox;
import org.ptlab.theory.hu2025.Monomials;
import org.ptlab.theory.hu2025.PolyPlan;
import org.ptlab.theory.hu2025.PolyResult;
import org.ptlab.theory.hu2025.PolynomialAttention;
import org.ptlab.theory.hu2025.RandomFeatureAttention;

/**
 * E9 parts (i) error vs degree and (v) the random-feature baseline: accuracy only, no timing, so every number is a
 * function of the seed.
 */
final class E9Accuracy {
  /** Degrees beyond this rank are not swept (the curves have long reached float64 round-off by then). */
  static final int MAX_SWEEP_RANK = 60_000;

  private E9Accuracy() {}

  /**
   * (i) For each degree g and both polynomials: the certified relative kernel error ε_g, the measured one
   * (max over all n² scores of |P(t) − e^t|/e^t), the measured max-norm output error and its bound; and the degree
   * the method picks for the 1/poly(n) target δ_F = n⁻².
   */
  static RunOutput errorVsDegree(Rng rng, int n, double range) {
    E9Data.Problem p = E9Data.problem(rng, n, 1.0);
    int s = E9Data.S;
    double scale = range / PolyPlan.rangeBound(p.q(), n, p.k(), n, s, 1.0, null); // R exactly `range`
    double[] exact = ExactAttention.dense(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
    double[] scores = new double[n * n];
    double[] exps = new double[n * n]; // e^t once, not once per degree
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double t = 0;
        for (int m = 0; m < s; m++) t += p.q()[i * s + m] * p.k()[j * s + m];
        scores[i * n + j] = scale * t;
        exps[i * n + j] = Math.exp(scale * t);
      }
    }
    double target = 1.0 / ((double) n * n);
    int gMax = 1; // until Chebyshev's certificate reaches float64 round-off, or the rank cap
    while (gMax < ExpApprox.MAX_DEGREE && Monomials.binomial(s + gMax + 1, gMax + 1) <= MAX_SWEEP_RANK
        && ExpApprox.chebyshev(gMax, range).truncation() > 1e-15) gMax++;
    double[][] cols = new double[9][gMax + 1]; // g, then per method: certificate, kernel error, output error, bound
    double worstExcess = Double.NEGATIVE_INFINITY;
    for (int g = 0; g <= gMax; g++) {
      cols[0][g] = g;
      int c = 1;
      for (ExpApprox a : List.of(ExpApprox.taylor(g, range), ExpApprox.chebyshev(g, range))) {
        double kernelErr = 0;
        for (int i = 0; i < scores.length; i++) {
          kernelErr = Math.max(kernelErr, Math.abs(a.eval(scores[i]) - exps[i]) / exps[i]);
        }
        PolyResult res = PolynomialAttention.fixedDegree(g, a.method()).attend(p.q(), n, p.k(), n, s, p.v(), s, scale,
            null);
        double outErr = res.maxError(exact);
        cols[c][g] = a.relError();
        cols[c + 1][g] = kernelErr;
        cols[c + 2][g] = outErr;
        cols[c + 3][g] = res.bound();
        if (a.relError() < 1) {
          worstExcess = Math.max(worstExcess, Math.max(kernelErr - a.relError(), outErr - res.bound()));
        }
        c += 4;
      }
    }
    PolyResult chosen = PolynomialAttention.tolerance(target).attend(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("R", range);
    m.put("target", target);
    m.put("chosen_degree", chosen.degree());
    m.put("chosen_method", chosen.plan().approx().method().name().toLowerCase(java.util.Locale.ROOT));
    m.put("chosen_rank", chosen.rank());
    m.put("chosen_error", chosen.maxError(exact));
    m.put("chosen_bound", chosen.bound());
    double eps = PolyPlan.epsForTolerance(target, chosen.plan().vMax());
    m.put("taylor_degree_for_target", ExpApprox.taylorDegree(range, eps));
    m.put("worst_excess_over_certificate", worstExcess);
    Map<String, Object> a = new LinkedHashMap<>();
    String[] names = {"degree", "taylor_cert", "taylor_kernel_err", "taylor_out_err", "taylor_bound", "cheb_cert",
        "cheb_kernel_err", "cheb_out_err", "cheb_bound"};
    for (int i = 0; i < names.length; i++) a.put(names[i], E9Data.list(cols[i]));
    return new RunOutput(m, a);
  }

  /**
   * (v) At each R: the polynomial method at tolerance 1e-6 (rank r) against FAVOR+ with m = r positive orthogonal
   * random features (mean and max over {@code seeds} feature draws), max-norm errors against exact attention.
   */
  static RunOutput randomFeatures(Rng rng, int n, double[] ranges, int seeds) {
    E9Data.Problem p = E9Data.problem(rng, n, 1.0);
    int s = E9Data.S;
    double[][] cols = new double[6][ranges.length]; // R, rank, poly error, poly bound, favor mean, favor max
    double worstRatio = 0;
    for (int i = 0; i < ranges.length; i++) {
      double scale = ranges[i] / PolyPlan.rangeBound(p.q(), n, p.k(), n, s, 1.0, null);
      double[] exact = ExactAttention.dense(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
      PolyResult poly = PolynomialAttention.tolerance(1e-6).attend(p.q(), n, p.k(), n, s, p.v(), s, scale, null);
      double sum = 0;
      double max = 0;
      for (int seed = 0; seed < seeds; seed++) {
        double e = E9Data.maxAbsDiff(RandomFeatureAttention.attend(p.q(), n, p.k(), n, s, p.v(), s, scale, poly.rank(),
            Rng.derive(rng.nextLong(), seed)), exact);
        sum += e;
        max = Math.max(max, e);
      }
      double polyErr = poly.maxError(exact);
      cols[0][i] = ranges[i];
      cols[1][i] = poly.rank();
      cols[2][i] = polyErr;
      cols[3][i] = poly.bound();
      cols[4][i] = sum / seeds;
      cols[5][i] = max;
      worstRatio = Math.max(worstRatio, polyErr / (sum / seeds));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("worst_poly_over_favor", worstRatio);
    m.put("max_poly_error", java.util.Arrays.stream(cols[2]).max().orElse(Double.NaN));
    m.put("min_favor_error", java.util.Arrays.stream(cols[4]).min().orElse(Double.NaN));
    Map<String, Object> a = new LinkedHashMap<>();
    String[] names = {"R", "rank", "poly_error", "poly_bound", "favor_mean_error", "favor_max_error"};
    for (int i = 0; i < names.length; i++) a.put(names[i], E9Data.list(cols[i]));
    return new RunOutput(m, a);
  }
}
