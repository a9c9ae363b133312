package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.random.Rng;

/** ℓ from EJML's spectral norms, the lower Lipschitz bound 1 − ℓ, and the fixed-point inverse with its error bounds. */
class MlpInjectivityTest {
  @Test
  void lowerLipschitzBoundHoldsOnRandomPairs() {
    PaperLayer layer = PaperLayer.of(PromptLengthTest.model(0.7, 5));
    MlpInjectivity inj = MlpInjectivity.of(layer);
    assertTrue(inj.applies(), inj.reason());
    assertEquals(0.7, inj.ell(), 1e-12);
    Rng rng = new Rng(6);
    double worst = Double.POSITIVE_INFINITY;
    for (int t = 0; t < 2000; t++) {
      double[] z = PromptModels.gaussian(rng, 1, 8, 2)[0];
      double[] z2 = LinAlg.add(z, PromptModels.gaussian(rng, 1, 8, t % 2 == 0 ? 1e-3 : 1)[0]);
      double ratio = Math.sqrt(LinAlg.dist2(layer.mlp(z), layer.mlp(z2)) / LinAlg.dist2(z, z2));
      worst = Math.min(worst, ratio);
    }
    assertTrue(worst >= inj.lowerLipschitz(), "‖MLP(z) − MLP(z′)‖/‖z − z′‖ = " + worst + " < 1 − ℓ");
  }

  @Test
  void fixedPointInverseMeetsItsBounds() {
    PaperLayer layer = PaperLayer.of(PromptLengthTest.model(0.9, 7));
    double ell = MlpInjectivity.of(layer).ell();
    Rng rng = new Rng(8);
    for (int t = 0; t < 20; t++) {
      double[] zTrue = PromptModels.gaussian(rng, 1, 8, 3)[0];
      MlpInverse.Result inv = MlpInverse.solve(layer, ell, layer.mlp(zTrue), 1e-15, 100_000);
      double err = Math.sqrt(LinAlg.dist2(inv.z(), zTrue));
      assertTrue(err <= inv.errorBound() + 1e-13, "error " + err + " > bound " + inv.errorBound());
      assertTrue(err < 1e-11, "converged: " + err);
      // a short run: the a-priori bound ℓ^k/(1 − ℓ)·‖z1 − z0‖ still covers the error
      MlpInverse.Result early = MlpInverse.solve(layer, ell, layer.mlp(zTrue), 1e-1, 5);
      assertTrue(Math.sqrt(LinAlg.dist2(early.z(), zTrue)) <= early.aPriori() + 1e-12, "a priori bound after 5 steps");
    }
  }

  @Test
  void refusesAtEllAboveOne() {
    PaperLayer layer = PaperLayer.of(PromptLengthTest.model(1.3, 5));
    MlpInjectivity inj = MlpInjectivity.of(layer);
    assertFalse(inj.applies());
    assertTrue(inj.reason().contains("not certified"), inj.reason());
    assertThrows(IllegalArgumentException.class, () -> MlpInverse.solve(layer, inj.ell(), new double[8], 1e-12, 10));
  }

  @Test
  void paperLayerNamesWhatIsNotThePapersForm() {
    assertTrue(PaperLayer.whyNot(org.ptlab.nn.Presets.paper(8, 16)).isEmpty());
    var bert = PaperLayer.whyNot(org.ptlab.nn.Presets.bert());
    assertTrue(bert.stream().anyMatch(s -> s.contains("layer norm")), bert.toString());
    assertTrue(bert.stream().anyMatch(s -> s.contains("positional")), bert.toString());
    assertTrue(bert.stream().anyMatch(s -> s.contains("GELU")), bert.toString());
  }
}
