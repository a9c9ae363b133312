package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;

/** E3's smoke grid: claims computed, figures specified; the certified statements hold after any number of steps. */
class E3InvertibilityExperimentTest {
  private final E3InvertibilityExperiment e3 = new E3InvertibilityExperiment();

  @Test
  void smokeGridComputesEveryClaimAndFigure() throws Exception {
    Results results = SmokeRuns.run(e3);
    SmokeRuns.checkContract(e3, results, Set.of(), 2);
    Map<String, Claim> c = e3.claims(results).stream().collect(Collectors.toMap(Claim::name, x -> x));
    for (String name : new String[] {"non-injective-stays-above-kappa-bound", "prompts-stay-admissible",
        "separation-at-least-kappa", "inversion-error-within-bound", "inversion-iterates-in-ball"}) {
      assertTrue(c.get(name).passed(), c.get(name).toString());
    }
    assertEquals(Claim.OBSERVED, c.get("injective-control-fitted-better").status(), "one seed: an observation");
    assertEquals(Math.pow(0.1 * 0.5, 3), results.done().get(0).metric("kappa"), 1e-12); // C4's κ
    assertEquals(SmokeRuns.run(e3).runs().stream().map(r -> r.metrics()).toList(),
        results.runs().stream().map(r -> r.metrics()).toList(), "same seed, same numbers");
  }
}
