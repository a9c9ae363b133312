package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;

/** E1's smoke grid: claims computed, figures specified, the certificate and the exact fit hold already. */
class E1SharedTokenExperimentTest {
  private final E1SharedTokenExperiment e1 = new E1SharedTokenExperiment();

  @Test
  void smokeGridComputesEveryClaimAndFigure() throws Exception {
    Results results = SmokeRuns.run(e1);
    SmokeRuns.checkContract(e1, results, Set.of(), 2);
    Map<String, Claim> c = e1.claims(results).stream().collect(Collectors.toMap(Claim::name, x -> x));
    // a bound holds after any number of steps; the exact update needs none
    for (String name : new String[] {"prompt-tuning-above-certified-bound", "certificate-at-least-closed-form",
        "exact-update-fits"}) {
      assertTrue(c.get(name).passed(), c.get(name).toString());
    }
    assertEquals(SmokeRuns.run(e1).runs().stream().map(r -> r.metrics()).toList(),
        results.runs().stream().map(r -> r.metrics()).toList(), "same seed, same numbers");
  }

  @Test
  void quickGridHasThePapersLearningRateAndSeveralLengths() {
    var quick = e1.grid(GridSize.QUICK);
    assertTrue(quick.stream().anyMatch(g -> Double.valueOf(0.1).equals(g.get("lr")) && "prompt".equals(g.get("method"))));
    assertEquals(6, e1.grid(GridSize.FULL).stream().filter(g -> "prompt".equals(g.get("method")))
        .map(g -> g.get("m_p")).distinct().count());
  }
}
