package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;

/**
 * The shared-token certificate on general data: generic (u_1, u_2) (C1's second variant), more than two examples
 * sharing a token (the pairing rule), the exactness of its pair infimum on the construct example, and refusals.
 */
class SharedTokenLossBoundTest {

  /** The construction's model and inputs with the x_0 targets moved to MLP(x_0 + b_i + u_i) for random u_i. */
  private static double[][][] genericTargets(SharedTokenConstruction c, long seed, double scale) {
    PaperLayer layer = PaperLayer.of(c.model());
    Rng rng = new Rng(seed);
    double[][][] y = new double[c.inputs().length][][];
    for (int i = 0; i < y.length; i++) {
      double[][] x = c.inputs()[i];
      double[] x0 = x[1];
      double[] u = PromptModels.gaussian(rng, 1, x0.length, scale)[0];
      y[i] = new double[][] {c.targets()[i][0], layer.mlp(LinAlg.add(LinAlg.add(x0, layer.attention(x0, x)), u))};
    }
    return y;
  }

  @Test
  void genericUBoundIsBelowEveryPromptTuningLoss() {
    SharedTokenConstruction c = SharedTokenConstruction.build(4, 8, 0.5, 1.0, 0);
    double[][][] targets = genericTargets(c, 3, 2.0);
    Certificate cert = SharedTokenLossBound.certify(c.model(), c.inputs(), targets);
    assertTrue(cert.applies(), cert.reason());
    assertTrue(cert.value() > 0, "generic rays are skew (d ≥ 3): a positive bound, got " + cert.value());
    for (int mp : new int[] {1, 2, 4, 8}) {
      double best = PromptModels.tunePrompt(c.model(), c.inputs(), targets, mp, 1.0, 0.1, 300, mp);
      assertTrue(best >= cert.value(), "m_p " + mp + ": tuned " + best + " < " + cert.value());
      System.out.printf("generic u (d=4 r=8 ell=0.5 seed 0): m_p=%d tuned SSE %.6g >= certificate %.6g%n", mp, best,
          cert.value());
    }
  }

  @Test
  void pairInfimumOfTheConstructExampleIsTightUnderDenseSearch() {
    SharedTokenConstruction c = SharedTokenConstructionTest.EXAMPLE;
    PaperLayer layer = PaperLayer.of(c.model());
    var groups = SharedTokenLossBound.occurrences(layer, c.ell(), c.inputs(), c.targets());
    assertEquals(1, groups.size());
    var p = groups.get(0).get(0);
    var q = groups.get(0).get(1);
    double[] delta = LinAlg.sub(p.b(), q.b());
    double dense = RatioOfQuadraticsInfimumTest.denseMin(delta, p.u(), q.u());
    var pair = SharedTokenLossBound.pair(p, q, c.ell());
    assertTrue(dense >= pair.relaxed().certified(), "dense " + dense + " below the relaxed infimum");
    assertTrue(dense - pair.relaxed().value() <= 1e-4 * dense, "relaxed infimum approached: dense " + dense);
    assertTrue(p.inverseError() < 1e-12 && q.inverseError() < 1e-12, "MLP inverse converged");
    System.out.printf("construct pair: relaxed infimum %.9g (dense search %.9g), coupled %.9g%n",
        pair.relaxed().value(), dense, pair.coupled().value());
  }

  @Test
  void moreThanTwoExamplesUseADisjointMatchingAtLeastTheMaxPair() {
    SharedTokenConstruction c = SharedTokenConstruction.build(6, 12, 0.5, 1.0, 8);
    PaperLayer layer = PaperLayer.of(c.model());
    Rng rng = new Rng(9);
    double[] x0 = c.inputs()[0][1];
    double[][][] x = new double[4][][];
    double[][][] y = new double[4][][];
    for (int i = 0; i < 4; i++) {
      x[i] = new double[][] {PromptModels.gaussian(rng, 1, 6, 1)[0], x0};
      double[] u = PromptModels.gaussian(rng, 1, 6, 1.5)[0];
      y[i] = new double[][] {layer.forward(new double[0][], x[i])[0],
          layer.mlp(LinAlg.add(LinAlg.add(x0, layer.attention(x0, x[i])), u))};
    }
    Certificate cert = SharedTokenLossBound.certify(c.model(), x, y);
    assertTrue(cert.applies(), cert.reason());
    assertEquals(6, cert.details().get("pairs_considered"));
    assertTrue(cert.value() >= (double) cert.details().get("max_pair_sse"), "matching sum ≥ max pair");
    assertEquals(2 * (int) cert.details().get("pairs_matched"), cert.positions().size());
    assertEquals(4, cert.positions().stream().distinct().count(), "two disjoint pairs over the four occurrences");
    for (int mp : new int[] {1, 4, 16}) {
      double best = PromptModels.tunePrompt(c.model(), x, y, mp, 1.0, 0.1, 300, mp);
      assertTrue(best >= cert.value(), "m_p " + mp + ": tuned " + best + " < " + cert.value());
    }
  }

  @Test
  void refusesWhenAnAssumptionBreaks() {
    SharedTokenConstruction c = SharedTokenConstructionTest.EXAMPLE;
    TransformerConfig p = Presets.paper(6, 12);
    TransformerConfig twoHeads = new TransformerConfig(0, 4096, 0, 6, 1, 2, 3, 12, p.activation(), p.positional(),
        p.norm(), false, false, false, 1.0, 1e-5, 0.0, p.head(), p.pooling(), 0, 0.0, p.dtype());
    Certificate multi = SharedTokenLossBound.certify(Transformer.create(twoHeads, new Rng(1)), c.inputs(), c.targets());
    assertFalse(multi.applies());
    assertTrue(multi.reason().contains("multi-head"), multi.reason());
    TransformerConfig sinus = new TransformerConfig(0, 4096, 0, 6, 1, 1, 6, 12, p.activation(),
        TransformerConfig.Positional.SINUSOIDAL, p.norm(), false, false, false, 1.0, 1e-5, 0.0, p.head(), p.pooling(), 0,
        0.0, p.dtype());
    Certificate pos = SharedTokenLossBound.certify(Transformer.create(sinus, new Rng(1)), c.inputs(), c.targets());
    assertFalse(pos.applies());
    assertTrue(pos.reason().contains("positional"), pos.reason());
    Certificate none = SharedTokenLossBound.certify(c.model(), new double[][][] {c.inputs()[0], {c.inputs()[1][0],
        LinAlg.add(c.inputs()[1][1], new double[] {1e-3, 0, 0, 0, 0, 0})}}, c.targets());
    assertFalse(none.applies());
    assertTrue(none.reason().contains("no token"), none.reason());
    assertTrue(Double.isNaN(none.value()));
    assertEquals(List.of(), none.positions());
  }
}
