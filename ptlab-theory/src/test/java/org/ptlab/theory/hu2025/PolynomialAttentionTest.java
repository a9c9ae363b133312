package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** Checks A2, A3, A5, A6 of spec hu2025.md §7 on the polynomial method, each with a case that breaks it. */
class PolynomialAttentionTest {
  static final int S = 4;

  /** max_ij |Ã_ij − A_ij| / A_ij with Ã from explicit features. */
  static double kernelRelError(PolyPlan plan, double[] q, int nq, double[] k, int nk, double scale) {
    double[] approx = Data.approxKernel(plan, q, nq, k, nk, S, scale);
    double[] exact = ExactAttention.kernelMatrix(q, nq, k, nk, S, scale);
    double worst = 0;
    for (int i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(approx[i] - exact[i]) / exact[i]);
    return worst;
  }

  @Test
  void a2KernelRelativeErrorIsAtMostEps() {
    Rng rng = new Rng(2);
    int n = 384;
    for (double half : new double[] {0.25, 0.5, 0.8}) {
      double[] q = Data.uniform(rng, n, S, -half, half);
      double[] k = Data.uniform(rng, n, S, -half, half);
      double[] v = Data.uniform(rng, n, S, 0, 1);
      for (double eps : new double[] {1e-3, 1e-6, 1e-9}) {
        PolyPlan plan = PolynomialAttention.relativeError(eps).plan(q, n, k, n, S, v, S, 1.0, null);
        assertTrue(plan.approx().relError() <= eps, plan.toString());
        double measured = kernelRelError(plan, q, n, k, n, 1.0);
        assertTrue(measured <= plan.approx().relError(), "R=" + plan.range() + " eps=" + eps + ": " + measured);
        assertTrue(plan.range() >= ExactAttention.maxAbsScore(q, n, k, n, S, 1.0), "R bounds every score");
      }
    }
  }

  @Test
  void a2FailsWhenTheDegreeIsChosenForASmallerRange() {
    // Break the assumption |score| <= R: plan for R = 0.5, feed scores up to about 3.
    Rng rng = new Rng(3);
    int n = 128;
    double[] q = Data.uniform(rng, n, S, -1, 1);
    double[] k = Data.uniform(rng, n, S, -1, 1);
    ExpApprox tooSmall = ExpApprox.choose(0.5, 1e-6);
    PolyPlan wrong = new PolyPlan(0.5, 1e-6, tooSmall, 1);
    assertTrue(kernelRelError(wrong, q, n, k, n, 1.0) > 1e-6);
  }

  @Test
  void a3OutputErrorWithinTheCertifiedBound() {
    Rng rng = new Rng(4);
    int n = 1024;
    // the spec's numpy setting: s = 4, Q, K uniform in [−0.5, 0.5], V in [0, 1], eps = 1e-6 (g = 9 Taylor there)
    double[] q = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] k = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] v = Data.uniform(rng, n, S, 0, 1);
    PolyResult res = PolynomialAttention.relativeError(1e-6).attend(q, n, k, n, S, v, S, 1.0, null);
    double[] exact = ExactAttention.dense(q, n, k, n, S, v, S, 1.0, null);
    assertTrue(res.maxError(exact) <= res.bound(), res + " error " + res.maxError(exact));
    assertEquals(0, res.fallbackRows());
    // the spec's numpy run used Taylor g = 9 (r = 715) and saw errors ≈ 1e-11 against a bound of 2e-6
    PolyResult taylor = PolynomialAttention.fixedDegree(9, ExpApprox.Series.TAYLOR).attend(q, n, k, n, S, v, S, 1.0,
        null);
    assertEquals(715, taylor.rank());
    assertTrue(taylor.maxError(exact) < 1e-10 && taylor.bound() < 2.1e-6, taylor + " " + taylor.maxError(exact));
    // low fixed degrees at larger R: errors become visible and stay under the bound
    double[] q2 = Data.uniform(rng, n, S, -1, 1);
    double[] k2 = Data.uniform(rng, n, S, -1, 1);
    double[] exact2 = ExactAttention.dense(q2, n, k2, n, S, v, S, 1.0, null);
    for (int g = 3; g <= 7; g++) {
      PolyResult r2 = PolynomialAttention.fixedDegree(g, ExpApprox.Series.CHEBYSHEV).attend(q2, n, k2, n, S, v, S,
          1.0, null);
      double err = r2.maxError(exact2);
      assertTrue(err <= r2.bound() && err > 1e-9, r2 + " error " + err);
    }
  }

  @Test
  void a3FailsWhenTheCertificateIsForTheWrongRange() {
    Rng rng = new Rng(5);
    int n = 512;
    double[] q = Data.uniform(rng, n, S, -1.2, 1.2);
    double[] k = Data.uniform(rng, n, S, -1.2, 1.2);
    double[] v = Data.uniform(rng, n, S, 0, 1);
    PolyPlan wrong = new PolyPlan(0.5, 1e-4, ExpApprox.taylor(3, 0.5), 1); // certificate for |score| <= 0.5
    PolyResult res = PolynomialAttention.run(wrong, q, n, k, n, S, v, S, 1.0, null);
    assertTrue(res.maxError(ExactAttention.dense(q, n, k, n, S, v, S, 1.0, null)) > res.bound());
  }

  @Test
  void toleranceModeCertifiesTheRequestedMaxNormError() {
    Rng rng = new Rng(6);
    int n = 700; // not a multiple of the vector width: tails are exercised
    double[] q = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] k = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] v = Data.uniform(rng, n, 3, -2, 2); // dv = 3 ≠ s, ‖V‖_max ≈ 2
    for (double delta : new double[] {1e-3, 1e-6, 1e-9}) {
      PolyResult res = PolynomialAttention.tolerance(delta).attend(q, n, k, n, S, v, 3, 0.8, null);
      assertTrue(res.bound() <= delta, res.toString());
      assertTrue(res.maxError(ExactAttention.dense(q, n, k, n, S, v, 3, 0.8, null)) <= res.bound());
    }
  }

  @Test
  void a5RowsSumToOneAndDenominatorsArePositive() {
    Rng rng = new Rng(7);
    int n = 300;
    double[] q = Data.uniform(rng, n, S, -1, 1);
    double[] k = Data.uniform(rng, n, S, -1, 1);
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    PolyResult res = PolynomialAttention.relativeError(1e-6).attend(q, n, k, n, S, ones, 1, 1.0, null);
    for (int i = 0; i < n; i++) {
      assertEquals(1.0, res.out()[i], 1e-14, "row " + i + " of D̃⁻¹Ã sums to 1");
      assertTrue(res.denominators()[i] > 0);
    }
    double[] approx = Data.approxKernel(res.plan(), q, n, k, n, S, 1.0);
    for (double a : approx) assertTrue(a > 0, "every entry of Ã is positive when ε_g < 1");
  }

  @Test
  void a5GuardCatchesNonPositiveDenominatorsAndFallsBackToExactRows() {
    // Break ε < 1: P(t) = 1 + t is negative for t < −1, so rows whose scores are mostly below −1 get w̃ <= 0.
    Rng rng = new Rng(8);
    int n = 64;
    double[] q = Data.uniform(rng, n, S, -1, 1);
    double[] k = Data.uniform(rng, n, S, -1, 1);
    for (int m = 0; m < S; m++) q[m] = -2;  // row 0 scores ≈ −2·Σk_m
    for (int j = 0; j < n; j++) for (int m = 0; m < S; m++) k[j * S + m] = Math.abs(k[j * S + m]) + 0.2;
    double[] v = Data.uniform(rng, n, S, 0, 1);
    PolyResult res = PolynomialAttention.fixedDegree(1, ExpApprox.Series.TAYLOR).attend(q, n, k, n, S, v, S, 1.0, null);
    assertTrue(res.fallbackRows() >= 1 && res.denominators()[0] <= 0, res.toString());
    assertEquals(Double.POSITIVE_INFINITY, res.bound(), "no certificate at degree 1 for this R");
    double[] exact = ExactAttention.dense(q, n, k, n, S, v, S, 1.0, null);
    for (int c = 0; c < S; c++) assertEquals(exact[c], res.out()[c], 1e-15, "row 0 was computed exactly");
  }

  @Test
  void guardKeepsUncertifiedRowsInsideTheBoundingBoxOfV() {
    // Chebyshev degree 3 at R = 4 has no certificate; some w̃_i are tiny and positive, so T_i would explode (E9
    // saw errors of 30 for V in [0, 1]). The box test recomputes those rows exactly.
    Rng rng = new Rng(12);
    int n = 1024;
    double[] q = Data.uniform(rng, n, S, -1, 1);
    double[] k = Data.uniform(rng, n, S, -1, 1);
    double[] v = Data.uniform(rng, n, S, 0, 1);
    double scale = 4 / PolyPlan.rangeBound(q, n, k, n, S, 1, null);
    PolyResult res = PolynomialAttention.fixedDegree(3, ExpApprox.Series.CHEBYSHEV).attend(q, n, k, n, S, v, S, scale,
        null);
    assertEquals(Double.POSITIVE_INFINITY, res.bound());
    assertTrue(res.fallbackRows() > 0, res.toString());
    for (double x : res.out()) assertTrue(x >= -1e-12 && x <= 1 + 1e-12, "outside [0, 1]: " + x);
  }

  @Test
  void a6RectangularEqualsTheFullComputationRestricted() {
    Rng rng = new Rng(9);
    int lp = 200;
    int l = 61;
    int n = lp + l;
    double[] q = Data.uniform(rng, n, S, -0.6, 0.6);
    double[] k = Data.uniform(rng, n, S, -0.6, 0.6);
    double[] v = Data.uniform(rng, n, S, 0, 1);
    double[] lastQ = Data.rows(q, S, lp, n);
    PolynomialAttention method = PolynomialAttention.relativeError(1e-8);
    PolyPlan plan = method.plan(q, n, k, n, S, v, S, 1.0, null);
    PolyResult full = PolynomialAttention.run(plan, q, n, k, n, S, v, S, 1.0, null);
    PolyResult rect = PolynomialAttention.run(plan, lastQ, l, k, n, S, v, S, 1.0, null);
    assertArrayEquals(Data.rows(full.out(), S, lp, n), rect.out(), 0.0, "same plan: bit-identical rows");
    // its own plan (R from the L queries only) may pick another degree; both stay within their bounds
    PolyResult own = method.attend(lastQ, l, k, n, S, v, S, 1.0, null);
    double[] exact = ExactAttention.dense(lastQ, l, k, n, S, v, S, 1.0, null);
    assertTrue(own.maxError(exact) <= own.bound() && own.plan().range() <= plan.range());
  }

  @Test
  void maskedKeysAreLeftOutAsIfAbsent() {
    Rng rng = new Rng(10);
    int n = 90;
    double[] q = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] k = Data.uniform(rng, n, S, -0.5, 0.5);
    double[] v = Data.uniform(rng, n, 2, 0, 1);
    boolean[] keep = new boolean[n];
    for (int j = 0; j < n; j++) keep[j] = j % 3 != 0;
    keep[1] = true;
    k[0] = 50; // a huge masked key must not enter R or the sums
    PolyResult res = PolynomialAttention.relativeError(1e-9).attend(q, n, k, n, S, v, 2, 1.0, keep);
    assertTrue(res.plan().range() < 2, res.toString());
    assertTrue(res.maxError(ExactAttention.dense(q, n, k, n, S, v, 2, 1.0, keep)) <= res.bound());
  }
}
