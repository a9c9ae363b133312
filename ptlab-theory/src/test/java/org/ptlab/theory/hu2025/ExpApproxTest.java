package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The 1-D approximations of e^t: degrees of spec hu2025.md §4.6 (and check B1), and that certificates hold. */
class ExpApproxTest {
  /** Largest |P(t) − e^t|/e^t on a grid of 4001 points of [−R, R]. */
  static double measuredRelError(ExpApprox p) {
    double worst = 0;
    for (int i = 0; i <= 4000; i++) {
      double t = p.range() * (i / 2000.0 - 1);
      worst = Math.max(worst, Math.abs(p.eval(t) - Math.exp(t)) / Math.exp(t));
    }
    return worst;
  }

  @Test
  void taylorDegreesMatchTheSpecTable() {
    // spec §4.6: minimal Taylor degree with tail <= eps·e^{−R}, eps = 1e-3 / 1e-6 / 1e-9
    double[] ranges = {0.5, 1, 2, 4, 8};
    int[][] expected = {{4, 7, 9}, {6, 9, 12}, {10, 14, 17}, {17, 22, 25}, {32, 36, 41}};
    double[] eps = {1e-3, 1e-6, 1e-9};
    for (int i = 0; i < ranges.length; i++) {
      for (int j = 0; j < eps.length; j++) {
        assertEquals(expected[i][j], ExpApprox.taylorDegree(ranges[i], eps[j]), "R=" + ranges[i] + " eps=" + eps[j]);
      }
    }
  }

  @Test
  void b1DegreeAndRankGrowthTable() {
    // spec §4.6 / check B1: s = log2 n, eps = n^-2; g at R = 1, ½ ln n, ln n; r = C(s+g, g)
    int[] log2n = {10, 16, 20, 30};
    int[][] g = {{9, 20, 32}, {13, 32, 53}, {15, 41, 67}, {20, 62, 101}};
    for (int i = 0; i < log2n.length; i++) {
      double n = Math.pow(2, log2n[i]);
      double eps = 1 / (n * n);
      double[] ranges = {1, 0.5 * Math.log(n), Math.log(n)};
      for (int j = 0; j < 3; j++) assertEquals(g[i][j], ExpApprox.taylorDegree(ranges[j], eps), "log2n=" + log2n[i]);
    }
    assertEquals(92_378, Monomials.binomial(10 + 9, 9)); // r at log2 n = 10, R = 1: r/n = 90
    assertTrue(Monomials.binomial(16 + 32, 32) / Math.pow(2, 16) > 3e7); // R = ½ ln n at log2 n = 16: r/n ≈ 3.4e7
  }

  @Test
  void certificatesHoldOnADenseGridAndAreTightToAFactorOfTen() {
    for (double range : new double[] {0.25, 1, 3, 6}) {
      for (int g = 2; g <= 16; g += 2) {
        for (ExpApprox p : List.of(ExpApprox.taylor(g, range), ExpApprox.chebyshev(g, range))) {
          double measured = measuredRelError(p);
          assertTrue(measured <= p.relError(), p.method() + " R=" + range + " g=" + g + ": " + measured + " > "
              + p.relError());
          if (p.truncation() > 1e-12 && p.truncation() < 1e-2 && p.method() == ExpApprox.Series.TAYLOR) {
            assertTrue(measured > p.truncation() / 10, "Taylor certificate far from tight at R=" + range + " g=" + g);
          }
        }
      }
    }
  }

  @Test
  void chooseReturnsTheLowestSufficientDegreeAndChebyshevLowersIt() {
    for (double range : new double[] {0.5, 1, 2, 4}) {
      for (double eps : new double[] {1e-3, 1e-6, 1e-9}) {
        ExpApprox p = ExpApprox.choose(range, eps);
        assertTrue(p.relError() <= eps);
        assertTrue(measuredRelError(p) <= eps);
        assertTrue(p.degree() <= ExpApprox.taylorDegree(range, eps));
        int g = p.degree() - 1; // one degree less: neither method certifies eps (minimality)
        if (g >= 0) {
          assertTrue(ExpApprox.taylor(g, range).relError() > eps && ExpApprox.chebyshev(g, range).relError() > eps);
        }
      }
    }
    assertEquals(ExpApprox.Series.CHEBYSHEV, ExpApprox.choose(1, 1e-6).method());
    // 7 since the Hermite–Genocchi remainder (8 with the classical e^{2R} one, still what 1e-6/2.2 needs); Taylor: 9
    assertEquals(7, ExpApprox.choose(1, 1e-6).degree());
    assertEquals(8, ExpApprox.choose(1, 1e-6 / 2.2).degree());
    ExpApprox atEight = ExpApprox.choose(8, 1e-6); // Taylor: 36
    assertTrue(atEight.truncation() <= 1e-6 && atEight.degree() <= 28, atEight.toString());
  }

  @Test
  void chebyshevRemainderNeverExceedsTheClassicalBoundAndStaysWithinTenOfTheMeasuredError() {
    for (double range : new double[] {0.1, 0.5, 0.92, 1, 2, 4, 8, 30, 700}) {
      for (int g = 1; g <= 40; g++) {
        double ours = ExpApprox.chebyshevTruncation(g, range);
        assertTrue(ours <= ExpApprox.classicalChebyshevRemainder(g, range) * (1 + 1e-12), "R=" + range + " g=" + g);
        assertTrue(ours >= 0 && !Double.isNaN(ours), "R=" + range + " g=" + g + ": " + ours);
      }
    }
    for (double range : new double[] {0.25, 0.92, 1, 3}) {
      for (int g = 3; g <= 12; g++) {
        ExpApprox p = ExpApprox.chebyshev(g, range);
        if (p.truncation() < 1e-12) continue; // below float64 resolution of the grid check
        double measured = measuredRelError(p);
        assertTrue(measured <= p.relError() && measured > p.truncation() / 10, "R=" + range + " g=" + g + ": measured "
            + measured + ", certified " + p.relError());
      }
    }
    // the benchmark's problem (bench attention, n = 16384: R = 0.92, ε = 1e-6/(2·1 + 1e-6)): degree 7, not 8
    assertEquals(7, ExpApprox.choose(0.92, PolyPlan.epsForTolerance(1e-6, 1)).degree());
  }

  @Test
  void atLargeRangeFloat64RoundingIsReportedNotHidden() {
    // R = 8, eps = 1e-9: truncation is reachable, but relative accuracy at t = −8 from terms of size e^8 is not
    ExpApprox p = ExpApprox.choose(8, 1e-9);
    assertTrue(p.truncation() <= 1e-9);
    assertTrue(p.relError() > 1e-9, "the certificate must include the rounding floor: " + p);
  }
}
