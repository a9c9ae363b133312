package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.RunTask;

/** E7 smoke: every part runs, twice bit-identically; both figures and all claims build; C7's exact claims pass. */
class E7MetaTransformerExperimentTest {
  private static List<RunRecord> runSmoke(E7MetaTransformerExperiment e) throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (RunTask t : RunTask.plan(e, GridSize.SMOKE)) {
      RunOutput o = e.run(t.context());
      runs.add(new RunRecord(e.id(), t.configHash(), t.config(), t.repeat(), t.seed(), RunRecord.DONE,
          Json.parseMap(Json.canonical(o.metrics())), Json.parseMap(Json.canonical(o.artifacts())), null, null, null,
          "test", "test", 1));
    }
    return runs;
  }

  @Test
  void smokeGridRunsDeterministicallyAndReproducesEveryFunction() throws Exception {
    E7MetaTransformerExperiment e7 = new E7MetaTransformerExperiment();
    List<RunRecord> a = runSmoke(e7);
    List<RunRecord> b = runSmoke(e7);
    for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).metrics(), b.get(i).metrics(), "run " + i);
    Results results = new Results("E7", GridSize.SMOKE, a);
    List<FigureSpec> figures = e7.figures(results);
    assertEquals(2, figures.size());
    assertTrue(figures.stream().allMatch(f -> !f.series().isEmpty()));
    List<Claim> claims = e7.claims(results);
    assertEquals(8, claims.size());
    for (Claim c : claims) {
      assertNotEquals(Claim.ERROR, c.status(), c.name() + ": " + c.note());
      assertNotEquals(Claim.SKIPPED, c.status(), c.name() + ": " + c.note());
      System.out.printf("E7 %s: %s %s %s (%s)%n", c.name(), c.measured(), c.relation(), c.bound(), c.status());
    }
    for (String name : List.of("c7-reproduces-every-quantized-function", "c7-one-id-per-function-and-cell",
        "c7-prompt-length-from-counting", "c7-distance-within-bound", "c7-softmax-approaches-hardmax")) {
      assertTrue(claims.stream().anyMatch(c -> c.name().equals(name) && c.passed()), name);
    }
  }
}
