package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Checks B2 (regime classifier) and B3 (accuracy cliff) of spec hu2025.md §7; B1 is in {@link ExpApproxTest}. */
class RegimeTest {
  @Property(tries = 40)
  void b2ScalingThePromptNeverLowersTheEntryBoundOrTheDegree(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @DoubleRange(min = 1.0, max = 4.0, minIncluded = false) double lambda) {
    Rng rng = new Rng(seed);
    PromptAttentionLayer layer = PromptAttentionLayer.random(rng, 6, 3, 4, 1.0);
    Tensor p = Tensor.rand(rng, DType.F64, -0.5, 0.5, 4, 6);
    Tensor x = Tensor.rand(rng, DType.F64, -0.5, 0.5, 12, 6);
    for (boolean allRows : new boolean[] {false, true}) {
      Regime before = Regime.of(layer, p, x, allRows, 1e-6);
      Regime after = Regime.of(layer, p.mul(lambda), x, allRows, 1e-6);
      assertTrue(after.bK() >= before.bK() && after.bQ() >= before.bQ() && after.range() >= before.range());
      assertTrue(after.degree() >= before.degree(), before + " -> " + after);
    }
  }

  @Test
  void b2LabelsAndTheSubquadraticVerdictFollowRAgainstLogN() {
    Rng rng = new Rng(51);
    int n = 1 << 14;
    int s = 4;
    double[] q = Data.uniform(rng, 64, s, -1, 1); // classification needs O(n·s) only: 64 queries suffice here
    double[] k = Data.uniform(rng, n, s, -1, 1);
    double logN = Math.log(n);
    double normSq = PolyPlan.maxRowNormSq(k, n, s, null); // ≈ s: a corner of [−1, 1]^s
    double[] scales = {0.2 / normSq, 0.6 * logN / normSq, 1.5 * logN / normSq}; // R = 0.2, 0.6·ln n, 1.5·ln n
    String[] labels = {"below", "transition", "above"};
    Regime[] rs = new Regime[3];
    for (int i = 0; i < 3; i++) {
      rs[i] = Regime.classify(k, n, k, n, s, s, scales[i], 1.0 / ((double) n * n), CostModel.DEFAULT);
      assertEquals(labels[i], rs[i].label(), rs[i].toString());
      assertEquals(rs[i].range(), scales[i] * normSq, 1e-12);
    }
    assertTrue(rs[0].subquadratic() && rs[0].rank() < n, rs[0].toString());
    assertFalse(rs[2].subquadratic(), rs[2].toString()); // above the threshold the rank outgrows n
    assertTrue(rs[0].degree() < rs[1].degree() && rs[1].degree() < rs[2].degree());
    assertTrue(Regime.classify(q, 64, k, n, s, s, scales[0], 1e-6, CostModel.DEFAULT).nq() == 64);
  }

  @Test
  void b3FixedBudgetAccuracyCliff() {
    // fixed degree g = 6 (rank 210 at s = 4): the error grows with R and crosses a 1e-6 target; the certificate
    // tracks it from above
    Rng rng = new Rng(52);
    int n = 256;
    int s = 4;
    double[] v = Data.uniform(rng, n, s, 0, 1);
    double[] base = Data.uniform(rng, n, s, -0.5, 0.5); // R ≤ 1 at scale 1
    double previous = 0;
    double crossing = Double.NaN;
    for (double r : new double[] {0.25, 0.5, 1, 2, 4, 8}) {
      double scale = r / PolyPlan.rangeBound(base, n, base, n, s, 1, null);
      PolyResult res = PolynomialAttention.fixedDegree(6, ExpApprox.Series.CHEBYSHEV).attend(base, n, base, n, s, v,
          s, scale, null);
      double err = res.maxError(ExactAttention.dense(base, n, base, n, s, v, s, scale, null));
      assertTrue(err <= res.bound(), res + " " + err);
      assertTrue(err >= previous * 0.5, "error grows with R (up to noise)");
      if (Double.isNaN(crossing) && err > 1e-6) crossing = r;
      previous = err;
    }
    assertTrue(crossing >= 1 && crossing <= 8, "the 1e-6 target is crossed at R = " + crossing);
  }
}
