package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Spec §7 C3 and the E4 check for one attention layer: the bound is never below an observed gain. */
class AttentionLipschitzBoundTest {
  @Test
  void c3RandomSmallPerturbationsWithAFixedPromptStayBelowTheBound() {
    int d = 6;
    int m = 5;
    int mp = 2; // 7 tokens, 2 of them prompt rows left unperturbed (C3)
    double radius = 1.0;
    Transformer model = Models.custom(d, 12, 1, 2, 3, Activation.RELU, false, 21);
    BlockBranches br = new BlockBranches(model);
    AttentionLipschitzBound.Layer bound = AttentionLipschitzBound.of(BlockWeights.of(model, 0), radius);
    Rng rng = new Rng(5);
    Tensor prompt = Models.prompt(rng, mp, d, radius);
    int trials = 3000;
    double worst = 0;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor x = Tensor.of(Models.onSphere(rng, trials, m, d, radius * (1 - 1e-5)), trials, m, d);
      Tensor e = Tensor.of(Models.onSphere(rng, trials, m, d, 1e-5), trials, m, d); // ‖E‖_{∞,2} = 1e-5
      double[] diff = br.attentionAtInputs(0, prompt, x.add(e)).sub(br.attentionAtInputs(0, prompt, x)).toDoubleArray();
      for (int t = 0; t < trials; t++) {
        double[] one = java.util.Arrays.copyOfRange(diff, t * m * d, (t + 1) * m * d);
        worst = Math.max(worst, ObservedGain.infTwo(one, d) / 1e-5);
      }
    }
    System.out.printf(Locale.ROOT, "C3: worst random ratio %.3f, bound %.2f (spec) / %.2f (tight)%n", worst,
        bound.spec(), bound.tight());
    assertTrue(worst <= bound.tight() && bound.tight() <= bound.spec());
  }

  @Test
  void perHeadTermsAddUpAndFollowTheFormula() {
    Transformer model = Models.custom(6, 12, 1, 3, 2, Activation.RELU, false, 2);
    AttentionLipschitzBound.Layer l = AttentionLipschitzBound.of(BlockWeights.of(model, 0), 1.5);
    double spec = 0;
    for (AttentionLipschitzBound.Head h : l.heads()) {
      assertEquals(h.normV() * (1 + 4 * 2.25 * h.normA()), h.spec(), 1e-12);
      assertEquals(h.normV() * (1 + 2 * 2.25 * h.normA()), h.tight(), 1e-12);
      spec += h.spec();
    }
    assertEquals(3, l.heads().size());
    assertEquals(spec, l.spec(), 1e-12);
  }

  @Test
  void gradientAscentNeverBeatsEitherBoundAcrossRadiiMasksAndHeads() {
    Rng rng = new Rng(17);
    int d = 8;
    int m = 4;
    for (boolean causal : new boolean[] {false, true}) {
      for (int heads : new int[] {1, 2}) {
        Transformer model = Models.custom(d, 16, 1, heads, d / heads, Activation.RELU, causal, 100 + heads);
        BlockBranches br = new BlockBranches(model);
        for (double radius : new double[] {0.5, 1.0, 2.0}) {
          Tensor prompt = Models.prompt(rng, 2, d, radius);
          AttentionLipschitzBound.Layer b = AttentionLipschitzBound.of(BlockWeights.of(model, 0), radius);
          ObservedGain.Result g = ObservedGain.maximize(x -> br.attentionAtInputs(0, prompt, x), m, d, radius,
              ObservedGain.Options.quick(radius > 1 ? 3 : 4));
          System.out.printf(Locale.ROOT, "attention causal=%b h=%d D=%.1f: observed %.4f, tight %.3f (ratio %.2f), "
              + "spec %.3f (ratio %.2f)%n", causal, heads, radius, g.gain(), b.tight(), b.tight() / g.gain(),
              b.spec(), b.spec() / g.gain());
          assertTrue(g.gain() <= b.tight(), "observed " + g.gain() + " > tight bound " + b.tight());
          assertTrue(g.gain() >= g.randomSearchGain());
        }
      }
    }
  }
}
