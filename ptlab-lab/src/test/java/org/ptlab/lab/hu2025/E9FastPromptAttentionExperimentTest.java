package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.RunTask;

class E9FastPromptAttentionExperimentTest {
  final E9FastPromptAttentionExperiment e9 = new E9FastPromptAttentionExperiment();

  /** Metrics that are wall-clock measurements (the only ones allowed to differ between two runs of a seed). */
  static final Set<String> TIMED = Set.of("slope_exact", "slope_fast", "slope_exact_large_n", "slope_fast_large_n",
      "grad_slope_fast_large_n", "crossover_n", "speedup_at_largest_exact",
      "speedup_at_largest_n", "first_fraction_not_cheaper", "fast_over_exact_at_threshold", "fast_wins_at_smallest_B",
      "grad_slope_fast", "grad_slope_exact", "grad_crossover_n", "grad_fast_wins_at_smallest_B");

  private List<RunRecord> runSmoke() throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (RunTask t : RunTask.plan(e9, GridSize.SMOKE)) {
      RunOutput o = e9.run(t.context());
      runs.add(new RunRecord("E9", t.configHash(), t.config(), t.repeat(), t.seed(), RunRecord.DONE,
          Json.parseMap(Json.canonical(o.metrics())), Json.parseMap(Json.canonical(o.artifacts())), null, null, null,
          "test", "test", 1));
    }
    return runs;
  }

  @Test
  void smokeRunsAreDeterministicApartFromTimingsAndTheAccuracyClaimsHold() throws Exception {
    List<RunRecord> a = runSmoke();
    List<RunRecord> b = runSmoke();
    for (int i = 0; i < a.size(); i++) {
      Map<String, Object> ma = new HashMap<>(a.get(i).metrics());
      Map<String, Object> mb = new HashMap<>(b.get(i).metrics());
      ma.keySet().removeAll(TIMED);
      mb.keySet().removeAll(TIMED);
      assertEquals(ma, mb, "run " + i);
    }
    Results results = new Results("E9", GridSize.SMOKE, a);
    Map<String, Claim> claims = new HashMap<>();
    for (Claim c : e9.claims(results)) claims.put(c.name(), c);
    assertEquals(20, claims.size());
    // accuracy claims are deterministic and must hold even at smoke size; timing claims need the quick grid
    for (String name : List.of("errors-within-certificates", "chosen-degree-meets-1/poly(n)", "time-runs-within-bound",
        "degree-grows-with-B", "transition-runs-within-bound", "gradient-within-certificate",
        "polynomial-beats-random-features", "constrained-R-every-step", "constrained-true-R-within-bound",
        "projection-identity-when-feasible")) {
      assertTrue(claims.get(name).passed(), claims.get(name).toString());
    }
    for (Claim c : claims.values()) assertTrue(List.of("passed", "failed").contains(c.status()), c.toString());
    assertEquals(10, e9.figures(results).size());
    RunRecord time = a.get(1);
    assertEquals(1.0, time.metric("exact_not_run")); // n = 1024 > exact_max = 512: predicted, marked not run
  }

  @Test
  void claimsWithoutDataAreSkippedNotDropped() {
    List<Claim> claims = e9.claims(new Results("E9", GridSize.SMOKE, List.of()));
    assertEquals(20, claims.size());
    assertTrue(claims.stream().allMatch(c -> c.status().equals("skipped")), claims.toString());
    assertTrue(e9.figures(new Results("E9", GridSize.SMOKE, List.of())).isEmpty());
  }

  @Test
  void gridsCoverEveryPartAtEverySize() {
    for (GridSize size : GridSize.values()) {
      Set<Object> parts = new java.util.HashSet<>();
      for (Map<String, Object> c : e9.grid(size)) parts.add(c.get("part"));
      assertEquals(Set.of("degree", "time", "transition", "gradient", "random-features", "constrained"), parts,
          size.toString());
    }
  }
}
