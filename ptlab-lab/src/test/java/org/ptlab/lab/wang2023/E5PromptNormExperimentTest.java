package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E5's smoke grid (the toy model and two MiniLM steps): claims computed, figures specified, deterministic. */
class E5PromptNormExperimentTest {
  private final E5PromptNormExperiment e5 = new E5PromptNormExperiment();

  @Test
  void smokeGridComputesEveryClaimAndFigure() throws Exception {
    Results results = SmokeRuns.run(e5);
    SmokeRuns.checkContract(e5, results, Set.of(), 4);
    Map<String, Claim> c = e5.claims(results).stream().collect(Collectors.toMap(Claim::name, x -> x));
    assertTrue(c.get("no-prompt-inside-radius-below-floor").passed(), c.get("no-prompt-inside-radius-below-floor")
        .toString());
    RunRecord minilm = results.where("part", "minilm").get(0);
    assertEquals(2.0, minilm.metric("steps")); // 8 sentences, batch 4, one epoch
    assertTrue(minilm.metric("initial_spectral_norm") > 0);
    assertEquals(SmokeRuns.run(e5).runs().stream().map(r -> r.metrics()).toList(),
        results.runs().stream().map(r -> r.metrics()).toList(), "same seed, same numbers");
  }
}
