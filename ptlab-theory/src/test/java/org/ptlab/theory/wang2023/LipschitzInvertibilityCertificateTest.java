package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;

/** The model-level certificates: E4's inequality, spec §7 C4, and refusals when an assumption breaks. */
class LipschitzInvertibilityCertificateTest {
  @Test
  void modelLipschitzBoundIsNeverBelowTheGainFoundByGradientAscent() {
    Rng rng = new Rng(31);
    int d = 8;
    int m = 4;
    Transformer[] models = {
        Transformer.create(Presets.paper(d, 16), new Rng(5)), // the paper preset
        Models.custom(d, 16, 1, 1, d, Activation.RELU, true, 6), // its causal variant
        Models.custom(d, 16, 2, 2, 4, Activation.GELU, true, 7)}; // two causal GELU blocks, two heads
    for (Transformer model : models) {
      for (double radius : new double[] {0.5, 1.0}) {
        Tensor prompt = Models.prompt(rng, 2, d, radius);
        LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, radius, radius, 2);
        assertTrue(c.lipschitz().applies(), c.lipschitz().reason());
        ObservedGain.Result g = ObservedGain.maximize(ObservedGain.model(model, prompt), m, d, radius,
            ObservedGain.Options.quick(radius > 0.7 ? 1 : 2));
        System.out.printf(Locale.ROOT, "model L=%d causal=%b %s D=%.1f: observed %.4f, tight %.3f (ratio %.2f), "
            + "spec %.3f (ratio %.2f)%n", model.config().layers(), model.config().causal(),
            model.config().activation(), radius, g.gain(), c.lipschitzBoundTight(), c.lipschitzBoundTight() / g.gain(),
            c.lipschitzBound(), c.lipschitzBound() / g.gain());
        assertTrue(g.gain() <= c.lipschitzBoundTight(), "observed " + g.gain() + " > " + c.lipschitzBoundTight());
        assertEquals(c.lipschitzBound(), c.lipschitz().value(), 0);
      }
    }
  }

  @Test
  void c4ThreeLayerCausalModelScaledToPositiveKappaIsInjectiveOnRandomAndAdversarialPairs() {
    int d = 8;
    int m = 4;
    int mp = 2;
    double radius = 1.0;
    Transformer model = Models.custom(d, 16, 3, 1, d, Activation.RELU, true, 12);
    ContractiveScaling.scale(model, radius, 0.9, 0.5, 1.0);
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, radius, radius, mp);
    assertTrue(c.invertibility().applies(), c.invertibility().reason());
    assertEquals(Math.pow(0.1 * 0.5, 3), c.kappa(), 1e-12); // C4: κ = 1.25e-4
    double kappaTight = c.kappaTight(); // (1 − 0.675)³·0.5³ [D]
    Rng rng = new Rng(8);
    Tensor prompt = Models.prompt(rng, mp, d, radius);
    ObservedGain.SequenceMap tau = ObservedGain.model(model, prompt);
    int pairs = 200;
    double worst = Double.POSITIVE_INFINITY;
    try (GradMode.Scope s = GradMode.noGrad()) {
      double[] x1 = Models.onSphere(rng, pairs, m, d, radius * rng.nextDouble());
      double[] x2 = Models.onSphere(rng, pairs, m, d, radius);
      for (int p = 0; p < pairs; p++) {
        double[] a = java.util.Arrays.copyOfRange(x1, p * m * d, (p + 1) * m * d);
        double[] b = java.util.Arrays.copyOfRange(x2, p * m * d, (p + 1) * m * d);
        worst = Math.min(worst, ObservedGain.gain(tau, a, b, m, d));
      }
    }
    ObservedGain.Result adversarial = ObservedGain.minimize(tau, m, d, radius, ObservedGain.Options.quick(4));
    System.out.printf(Locale.ROOT, "C4: kappa %.3e (spec), %.3e (tight); min ratio random %.4f, descent %.4f; "
        + "radii %s%n", c.kappa(), kappaTight, worst, adversarial.gain(), java.util.Arrays.toString(c.radii()));
    assertTrue(worst >= kappaTight && adversarial.gain() >= kappaTight);
    assertTrue(kappaTight >= c.kappa());
  }

  @Test
  void c4PromptTuningTowardANonInjectiveTargetStaysAboveTheKappaBound() {
    int d = 8;
    int m = 4;
    double radius = 1.0;
    Transformer model = Models.custom(d, 16, 3, 1, d, Activation.RELU, true, 12);
    ContractiveScaling.scale(model, radius, 0.9, 0.5, 1.0);
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, radius, radius, 3);
    Rng rng = new Rng(10);
    double[] xs = Models.onSphere(rng, 2, m, d, 0.8); // X1 ≠ X2, one common target Y: not injective
    double dist = ObservedGain.infTwo(ResidualFixedPointInverse.difference(
        java.util.Arrays.copyOfRange(xs, 0, m * d), java.util.Arrays.copyOfRange(xs, m * d, 2 * m * d)), d);
    Tensor x = Tensor.of(xs, 2, m, d);
    Tensor y = Tensor.of(Models.onSphere(rng, 1, m, d, 0.8), 1, m, d);
    Tensor v = Tensor.of(Models.onSphere(rng, 1, 3, d, 1.0), 3, d).requiresGrad(true);
    double best = Double.POSITIVE_INFINITY;
    for (int step = 0; step < 150; step++) {
      Tensor p = v.div(v.square().sum(1, true).sqrt().add(1)).mul(radius); // ‖p_j‖ < D0 (spec C4)
      Tensor loss = ObservedGain.model(model, p).apply(x).sub(y).square().sum(); // Σ_i ‖τ_P(X_i) − Y‖²
      best = Math.min(best, loss.item());
      loss.backward();
      double[] g = v.grad().toDoubleArray();
      double gn = ResidualFixedPointInverse.euclidean(g);
      double[] vv = v.toDoubleArray();
      for (int i = 0; i < vv.length; i++) vv[i] -= 0.2 * g[i] / Math.max(gn, 1e-300);
      v = Tensor.of(vv, 3, d).requiresGrad(true);
    }
    double bound = Math.pow(c.kappa() * dist, 2) / 2;
    System.out.printf(Locale.ROOT, "C4 prompt tuning: best loss %.4f >= bound %.3e (tight %.3e)%n", best, bound,
        Math.pow(c.kappaTight() * dist, 2) / 2);
    assertTrue(best >= Math.pow(c.kappaTight() * dist, 2) / 2 && best >= bound);
  }

  @Test
  void refusesAndNamesTheBranchWhenABranchIsNotAContraction() {
    Transformer model = Models.custom(8, 16, 3, 1, 8, Activation.GELU, true, 13);
    ContractiveScaling.scale(model, 1.0, 0.9, 0.5, 1.0);
    // layer 1's MLP pushed to 1.2: the certificate must refuse and say where
    model.parameters().get("encoder.layer.1.output.dense.weight").copyFrom(
        model.parameters().get("encoder.layer.1.output.dense.weight").mul(1.2 / 0.5));
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, 1.0, 1.0, 2);
    assertFalse(c.invertibility().applies());
    assertTrue(Double.isNaN(c.invertibility().value()));
    assertTrue(c.invertibility().reason().startsWith("layer 1 MLP branch kappa_mlp = 1.2"), c.invertibility().reason());
    assertTrue(c.lipschitz().applies()); // the Lipschitz bound still holds, it is just > 1
    assertEquals(1.2, c.layers().get(1).mlp().lipschitz(), 1e-9); // GELU's c_σ ≈ 1.1289 is inside the 1.2
    Transformer att = Models.custom(8, 16, 2, 1, 8, Activation.RELU, true, 14);
    ContractiveScaling.scale(att, 1.0, 1.5, 0.5, 1.0);
    String reason = LipschitzInvertibilityCertificate.certify(att, 1.0, 1.0, 2).invertibility().reason();
    assertTrue(reason.startsWith("layer 0 attention branch kappa_att = 1.5"), reason);
  }

  @Test
  void refusesModelsOutsideTheSettingWithTheReason() {
    Transformer bidirectional = Models.custom(8, 16, 2, 1, 8, Activation.RELU, false, 15);
    ContractiveScaling.scale(bidirectional, 1.0, 0.9, 0.5, 1.0);
    LipschitzInvertibilityCertificate withPrompt = LipschitzInvertibilityCertificate.certify(bidirectional, 1, 1, 2);
    assertFalse(withPrompt.invertibility().applies());
    assertTrue(withPrompt.invertibility().reason().startsWith("bidirectional attention with a prompt"));
    assertTrue(LipschitzInvertibilityCertificate.certify(bidirectional, 1, 1, 0).invertibility().applies());
    LipschitzInvertibilityCertificate gpt = LipschitzInvertibilityCertificate.certify(
        Transformer.create(Presets.gpt(), new Rng(1)), 1, 1, 2);
    assertFalse(gpt.lipschitz().applies());
    assertTrue(gpt.lipschitz().reason().startsWith("layer norm (PRE)"), gpt.lipschitz().reason());
  }

  @Test
  void reportsPrintAsTheCertifyJsonContract() throws Exception {
    Transformer model = Models.custom(8, 16, 3, 1, 8, Activation.RELU, true, 12);
    ContractiveScaling.scale(model, 1.0, 0.9, 0.5, 1.0);
    LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, 1.0, 1.0, 2);
    ObjectMapper json = new ObjectMapper();
    for (Certificate r : new Certificate[] {c.lipschitz(), c.invertibility()}) {
      JsonNode n = json.valueToTree(r.toMap());
      for (String key : new String[] {"name", "applies", "value", "unit", "reason", "layers", "radii"}) {
        assertTrue(n.has(key), key + " missing in " + r.toMap());
      }
      assertEquals(3, n.get("layers").size());
      assertEquals(r.value(), n.get("value").asDouble(), 0);
    }
    assertEquals("lipschitz", c.lipschitz().name());
    assertEquals("invertibility", c.invertibility().name());
    Certificate refused = LipschitzInvertibilityCertificate.certify(Transformer.create(Presets.gpt(), new Rng(1)), 1, 1, 2)
        .invertibility();
    assertTrue(refused.toMap().containsKey("value") && refused.toMap().get("value") == null);
  }
}
