package org.ptlab.lab.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.RunTask;

class D0PromptVsLoraExperimentTest {
  final D0PromptVsLoraExperiment demo = new D0PromptVsLoraExperiment();

  private List<RunRecord> runSmoke() throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (RunTask t : RunTask.plan(demo, GridSize.SMOKE)) {
      RunOutput o = demo.run(t.context());
      runs.add(new RunRecord("D0", t.configHash(), t.config(), t.repeat(), t.seed(), RunRecord.DONE,
          Json.parseMap(Json.canonical(o.metrics())), Json.parseMap(Json.canonical(o.artifacts())), null, null, null,
          "test", "test", 1));
    }
    return runs;
  }

  @Test
  void smokeRunsAreDeterministicAndTheConstructionChecksHold() throws Exception {
    List<RunRecord> a = runSmoke();
    List<RunRecord> b = runSmoke();
    assertEquals(a.stream().map(RunRecord::metrics).toList(), b.stream().map(RunRecord::metrics).toList());
    Results results = new Results("D0", GridSize.SMOKE, a);
    Map<String, Claim> claims = new java.util.HashMap<>();
    for (Claim c : demo.claims(results)) claims.put(c.name(), c);
    assertEquals(5, claims.size());
    // The construction checks hold at any size; the fitting claim needs the quick grid's 2000 steps.
    for (String name : List.of("teacher-in-student-class", "lora-starts-at-frozen-model",
        "trainable-parameter-counts", "training-lowers-loss")) {
      assertTrue(claims.get(name).passed(), claims.get(name).toString());
    }
    assertTrue(List.of("passed", "failed").contains(claims.get("prompt-fits-at-teacher-length").status()));
    assertEquals(2, demo.figures(results).size());
    assertEquals(8.0, a.get(0).metric("trainable_params")); // m_p = 2, d = 4
    assertEquals(16.0, a.get(1).metric("trainable_params")); // LoRA r = 1 on two 4×4 maps
  }

  @Test
  void claimsWithoutDataAreSkippedNotDropped() {
    List<Claim> claims = demo.claims(new Results("D0", GridSize.SMOKE, List.of()));
    assertEquals(5, claims.size());
    assertTrue(claims.stream().allMatch(c -> c.status().equals("skipped")), claims.toString());
  }

  @Test
  void gridsGrowWithSize() {
    assertEquals(2, demo.grid(GridSize.SMOKE).size());
    assertEquals(5, demo.grid(GridSize.QUICK).size());
    assertEquals(10, demo.grid(GridSize.FULL).size());
  }
}
