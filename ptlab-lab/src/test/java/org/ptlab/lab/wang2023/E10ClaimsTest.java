package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/** E10's claims on made-up runs: accuracy comparisons are tests only with ≥ 3 seeds, the norm never is. */
class E10ClaimsTest {
  /** Quick-grid configs with the given test accuracies per seed (LoRA, prompt, head, full). */
  private static Results results(double[] lora, double[] prompt, double[] head, double[] full) {
    List<RunRecord> runs = new ArrayList<>();
    add(runs, E10Point.lora("to-imdb", 8, 1e-3, 2), lora, 74_498);
    add(runs, E10Point.prompt("to-imdb", "RANDOM", 20, 0.1, 2), prompt, 20 * 384 + 770);
    add(runs, E10Point.head("to-imdb", 1e-2, 2), head, 770);
    add(runs, E10Point.full("to-imdb", 1e-4, 2), full, 22_566_146);
    return new Results("E10", GridSize.QUICK, runs);
  }

  private static void add(List<RunRecord> runs, E10Point p, double[] accuracies, long params) {
    Map<String, Object> config = p.toConfig();
    String hash = Json.configHash(config);
    for (int seed = 0; seed < accuracies.length; seed++) {
      Map<String, Object> m = new HashMap<>(Map.of("test_accuracy", accuracies[seed], "trainable_params", params));
      if (p.method().equals("prompt")) m.putAll(Map.of("prompt_norm_initial", 1.0, "prompt_norm_final", 1.5));
      runs.add(new RunRecord("E10", hash, config, seed, seed, RunRecord.DONE, m, Map.of(), null, null, null, "t",
          "t", 1));
    }
  }

  private static Map<String, Claim> byName(Results r) {
    Map<String, Claim> out = new HashMap<>();
    for (Claim c : E10Claims.claims(r)) out.put(c.name(), c);
    return out;
  }

  @Test
  void oneSeedMakesTheAccuracyComparisonsObservations() {
    Map<String, Claim> c = byName(results(new double[] {0.80}, new double[] {0.85}, new double[] {0.83},
        new double[] {0.87}));
    for (String n : List.of("lora-beats-prompt-tuning", "full-fine-tuning-beats-prompt-tuning",
        "prompt-tuning-beats-frozen-head", "prompt-norm-grows")) {
      assertEquals(Claim.OBSERVED, c.get(n).status(), c.get(n).toString());
    }
    assertEquals(-0.05, c.get("lora-beats-prompt-tuning").measured(), 1e-12, "shown even when it goes the other way");
    assertEquals(Claim.PASSED, c.get("prompt-parameter-count").status());
    assertEquals(Claim.PASSED, c.get("lora-parameter-count").status());
  }

  @Test
  void threeSeedsTestTheGapAgainstTwoStandardErrors() {
    // LoRA 0.889 ± 0.007 vs prompt 0.855 ± 0.011: gap 0.034 > 2·SE ≈ 0.015. Full 0.875 ± 0.016: gap 0.020 < 0.022.
    Map<String, Claim> c = byName(results(new double[] {0.882, 0.889, 0.896}, new double[] {0.844, 0.855, 0.866},
        new double[] {0.825, 0.834, 0.843}, new double[] {0.859, 0.875, 0.891}));
    Claim lora = c.get("lora-beats-prompt-tuning");
    assertEquals(Claim.PASSED, lora.status(), lora.toString());
    double se = Math.sqrt((0.007 * 0.007 + 0.011 * 0.011) / 3);
    assertEquals(2 * se, lora.bound(), 1e-9);
    assertEquals(Claim.FAILED, c.get("full-fine-tuning-beats-prompt-tuning").status());
    assertEquals(Claim.PASSED, c.get("prompt-tuning-beats-frozen-head").status());
    assertEquals(Claim.OBSERVED, c.get("prompt-norm-grows").status(), "the norm is never a test");
    assertTrue(c.get("prompt-norm-grows").statement().contains("layer norm"));
  }
}
