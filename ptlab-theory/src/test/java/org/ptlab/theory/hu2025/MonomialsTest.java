package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** Check A1 (spec hu2025.md §7): the tight feature map reproduces the polynomial exactly, with C(s+g, g) features. */
class MonomialsTest {
  @Test
  void a1FeatureMapIdentityForTaylorAndChebyshev() {
    Rng rng = new Rng(11);
    for (int s : new int[] {1, 2, 4, 6}) {
      for (int g : new int[] {0, 1, 3, 7, 10}) {
        Monomials mono = new Monomials(s, g);
        assertEquals(Monomials.binomial(s + g, g), mono.rank());
        assertTrue(mono.rank() <= Monomials.binomial(2 * (g + s), 2 * g), "tight count <= AS23's");
        for (ExpApprox p : List.of(ExpApprox.taylor(g, 1.0), ExpApprox.chebyshev(g, 1.0))) {
          double[] w = mono.weights(p.coeffs());
          for (int trial = 0; trial < 20; trial++) {
            double[] q = Data.uniform(rng, 1, s, -1, 1);
            double[] k = Data.uniform(rng, 1, s, -1, 1);
            double[] phi = mono.features(q, w, true);
            double[] psi = mono.features(k, w, false);
            double dot = 0;
            for (int i = 0; i < phi.length; i++) dot += phi[i] * psi[i];
            double t = 0;
            for (int m = 0; m < s; m++) t += q[m] * k[m];
            double pg = p.eval(t);
            assertEquals(pg, dot, 1e-12 * Math.max(1, Math.abs(pg)), p.method() + " s=" + s + " g=" + g);
          }
        }
      }
    }
  }

  @Test
  void everyMultiIndexUpToDegreeGAppearsOnceWithItsParentFirst() {
    Monomials mono = new Monomials(4, 6);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < mono.rank(); i++) {
      int[] alpha = new int[4];
      for (int j = i; j > 0; j = mono.parent(j)) {
        assertTrue(mono.parent(j) < j, "parent precedes child");
        alpha[mono.var(j)]++;
      }
      int deg = alpha[0] + alpha[1] + alpha[2] + alpha[3];
      assertEquals(mono.degree(i), deg);
      assertTrue(seen.add(java.util.Arrays.toString(alpha)), "duplicate " + java.util.Arrays.toString(alpha));
    }
    assertEquals(210, seen.size()); // C(10, 6)
    assertEquals(30_421_755, Monomials.binomial(2 * (6 + 8), 12)); // spec §4.6: AS23's count at d = 8, g = 6
    assertEquals(3003, Monomials.binomial(8 + 6, 6)); // … against the tight one
  }

  @Test
  void withoutTheMultinomialWeightsTheIdentityFails() {
    // The check can fail: weights a_{|α|} instead of a_{|α|}·|α|!/α! break φ·ψ = P(q·k) as soon as g ≥ 2.
    Monomials mono = new Monomials(3, 4);
    ExpApprox p = ExpApprox.taylor(4, 1.0);
    double[] wrong = new double[mono.rank()];
    for (int i = 0; i < wrong.length; i++) wrong[i] = p.coeffs()[mono.degree(i)];
    double[] q = {0.7, -0.4, 0.9};
    double[] k = {0.8, 0.6, -0.5};
    double[] phi = mono.features(q, wrong, true);
    double[] psi = mono.features(k, wrong, false);
    double dot = 0;
    for (int i = 0; i < phi.length; i++) dot += phi[i] * psi[i];
    double t = 0.7 * 0.8 - 0.4 * 0.6 - 0.9 * 0.5;
    assertTrue(Math.abs(dot - p.eval(t)) > 1e-3, "wrong weights must not pass: " + dot + " vs " + p.eval(t));
  }
}
