package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.Presets;
import org.ptlab.theory.Certificate;

/**
 * The construct example of issue 13 (d = 6, r = 12, ℓ = 0.6, α = 1.5, seed 5) and check C1 of spec §7 with our RNG:
 * the built model is the real paper preset, ℓ is as asked, the certificate is ≥ the closed form, and no prompt
 * (random, or tuned with Adam on the real Transformer) goes below the certificate.
 */
class SharedTokenConstructionTest {
  static final SharedTokenConstruction EXAMPLE = SharedTokenConstruction.build(6, 12, 0.6, 1.5, 5);

  @Test
  void buildsThePaperPresetWithTheRequestedEll() {
    SharedTokenConstruction c = EXAMPLE;
    assertEquals(Presets.paper(6, 12), c.config(), "the paper preset with dModel 6, mlpHidden 12");
    assertEquals(0.6, c.ell(), 1e-12, "ℓ = ‖W2‖‖W1‖ after scaling");
    assertEquals(2, c.inputs().length);
    assertEquals(0, LinAlg.dist2(c.inputs()[0][1], c.inputs()[1][1]), "x_0 shared at position 1");
    assertTrue(c.deltaNorm() > 0, "b_1 ≠ b_2");
    double closed = 0.16 * 1.5 * 1.5 * c.deltaNorm() * c.deltaNorm();
    assertEquals(closed, c.closedFormSse(), 1e-9 * closed);
    assertEquals(c.closedFormSse() / 24, c.closedFormEvalLoss(), 1e-15, "eval units: / (4 positions · d)");
    // unprompted model: the targets at position 0 are its own outputs, the loss sits at x_0 only
    double[][] y0 = PromptModels.forward(c.model(), null, c.inputs()[0]);
    assertTrue(LinAlg.dist2(y0[0], c.targets()[0][0]) < 1e-28, "position 0 fitted without a prompt");
    System.out.printf("construct d=6 r=12 ell=0.6 alpha=1.5 seed=5: |b1-b2| = %.6g, closed form %.6g (eval %.6g), "
        + "certificate %.6g (eval %.6g), no-prompt SSE %.6g%n", c.deltaNorm(), c.closedFormSse(),
        c.closedFormEvalLoss(), c.certificate().value(), c.certificate().details().get("eval_loss"),
        PromptModels.sse(c.model(), null, c.inputs(), c.targets()));
  }

  @Test
  void certificateIsAtLeastTheClosedFormAndItsRelaxedPartEqualsIt() {
    Certificate cert = EXAMPLE.certificate();
    assertTrue(cert.applies(), cert.reason());
    assertEquals(SharedTokenLossBound.NAME, cert.name());
    double relaxed = (double) cert.details().get("best_pair_relaxed_infimum") * 0.16;
    assertEquals(EXAMPLE.closedFormSse(), relaxed, 1e-8 * relaxed, "exact minimiser = (1 − ℓ)²α²‖Δ‖² (inverse error ≈ 0)");
    assertTrue(cert.value() >= EXAMPLE.closedFormSse() * (1 - 1e-9), "coupled ≥ relaxed");
    assertEquals(2, cert.positions().size());
    assertEquals(new Certificate.Position(0, 1), cert.positions().get(0));
  }

  @Test
  void randomPromptsOfEveryLengthStayAboveTheCertificate() {
    SharedTokenConstruction c = EXAMPLE;
    double bound = c.certificate().value();
    double least = Double.POSITIVE_INFINITY;
    org.ptlab.tensor.random.Rng rng = new org.ptlab.tensor.random.Rng(77);
    for (int mp : new int[] {1, 2, 4, 8, 16, 32}) {
      for (double std : new double[] {0.3, 1, 3, 10}) {
        for (int k = 0; k < 10; k++) {
          double sse = PromptModels.sse(c.model(), PromptModels.gaussian(rng, mp, 6, std), c.inputs(), c.targets());
          assertTrue(sse >= bound, "m_p " + mp + " std " + std + ": SSE " + sse + " < certificate " + bound);
          least = Math.min(least, sse);
        }
      }
    }
    System.out.printf("random prompts: least SSE %.6g >= certificate %.6g%n", least, bound);
  }

  @Test
  void adamPromptTuningPlateausAboveTheCertificate() { // C1
    SharedTokenConstruction c = EXAMPLE;
    double bound = c.certificate().value();
    for (int mp : new int[] {1, 3, 10}) {
      double best = Double.POSITIVE_INFINITY;
      for (double std : new double[] {0.3, 3}) {
        best = Math.min(best, PromptModels.tunePrompt(c.model(), c.inputs(), c.targets(), mp, std, 0.1, 300, 31 + mp));
      }
      assertTrue(best >= bound, "m_p " + mp + ": tuned SSE " + best + " < certificate " + bound);
      System.out.printf("C1 m_p=%d: best tuned SSE %.6g >= certificate %.6g (closed form %.6g)%n", mp, best, bound,
          c.closedFormSse());
    }
  }

  @Test
  void ellAboveOneBuildsButTheCertificateRefuses() {
    SharedTokenConstruction c = SharedTokenConstruction.build(6, 12, 1.2, 1.5, 5);
    assertFalse(c.certificate().applies());
    assertTrue(c.certificate().reason().contains("≥ 1"), c.certificate().reason());
    assertTrue(Double.isNaN(c.closedFormSse()));
    assertThrows(IllegalArgumentException.class, () -> SharedTokenConstruction.build(6, 12, 0.6, -1, 5));
  }
}
