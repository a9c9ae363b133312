package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;

/** E2's smoke grid: claims computed, figures specified; the certified statements hold after any number of steps. */
class E2ParameterCountExperimentTest {
  private final E2ParameterCountExperiment e2 = new E2ParameterCountExperiment();

  @Test
  void smokeGridComputesEveryClaimAndFigure() throws Exception {
    Results results = SmokeRuns.run(e2);
    SmokeRuns.checkContract(e2, results, Set.of(), 1);
    Map<String, Claim> c = e2.claims(results).stream().collect(Collectors.toMap(Claim::name, x -> x));
    for (String name : new String[] {"prompt-loss-above-eckart-young-bound", "necessary-length-is-n",
        "exact-rank-n-update-fits", "parameter-counts-as-computed"}) {
      assertTrue(c.get(name).passed(), c.get(name).toString());
    }
    assertEquals(SmokeRuns.run(e2).runs().stream().map(r -> r.metrics()).toList(),
        results.runs().stream().map(r -> r.metrics()).toList(), "same seed, same numbers");
  }

  @Test
  void noCaptionClaimsLoraNeedsFewerParameters() throws Exception {
    Results results = SmokeRuns.run(e2);
    e2.figures(results).forEach(f -> assertTrue(!f.caption().toLowerCase().contains("lora needs fewer"), f.caption()));
  }
}
