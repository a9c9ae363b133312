package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;

/** E4's smoke grid: claims computed, figures specified; a certified bound is never below a found gain. */
class E4LipschitzExperimentTest {
  private final E4LipschitzExperiment e4 = new E4LipschitzExperiment();

  @Test
  void smokeGridComputesEveryClaimAndFigure() throws Exception {
    Results results = SmokeRuns.run(e4);
    SmokeRuns.checkContract(e4, results, Set.of(), 2);
    for (Claim c : e4.claims(results)) {
      if (c.isTest()) assertTrue(c.passed(), c.toString());
    }
    assertEquals(SmokeRuns.run(e4).runs().stream().map(r -> r.metrics()).toList(),
        results.runs().stream().map(r -> r.metrics()).toList(), "same seed, same numbers");
  }

  @Test
  void quickGridSweepsRadiusAndLength() {
    var quick = e4.grid(GridSize.QUICK);
    assertTrue(quick.stream().map(g -> g.get("radius")).distinct().count() >= 3);
    assertTrue(quick.stream().map(g -> g.get("m")).distinct().count() >= 3);
  }
}
