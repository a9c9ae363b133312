package org.ptlab.lab.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.RunTask;

/** E6 smoke: every part runs, twice bit-identically; figures and claims build; "not run" points are kept. */
class E6UniversalityExperimentTest {
  static List<RunRecord> runSmoke(Experiment e) throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (RunTask t : RunTask.plan(e, GridSize.SMOKE)) {
      RunOutput o = e.run(t.context());
      runs.add(new RunRecord(e.id(), t.configHash(), t.config(), t.repeat(), t.seed(), RunRecord.DONE,
          Json.parseMap(Json.canonical(o.metrics())), Json.parseMap(Json.canonical(o.artifacts())), null, null, null,
          "test", "test", 1));
    }
    return runs;
  }

  /** Runs the smoke grid twice, checks identical metrics, returns the claims. */
  static List<Claim> smokeClaims(Experiment e) throws Exception {
    List<RunRecord> a = runSmoke(e);
    List<RunRecord> b = runSmoke(e);
    for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).metrics(), b.get(i).metrics(), "run " + i);
    Results results = new Results(e.id(), GridSize.SMOKE, a);
    assertTrue(!e.figures(results).isEmpty());
    List<Claim> claims = e.claims(results);
    for (Claim c : claims) {
      assertNotEquals(Claim.ERROR, c.status(), c.name() + ": " + c.note());
      System.out.printf("%s %s: %s %s %s%n", e.id(), c.name(), c.measured(), c.relation(), c.bound());
    }
    return claims;
  }

  @Test
  void smokeGridRunsDeterministicallyWithNotRunPointsKept() throws Exception {
    E6UniversalityExperiment e6 = new E6UniversalityExperiment();
    List<RunRecord> runs = runSmoke(e6);
    RunRecord notRun = runs.stream().filter(r -> "precision".equals(r.config().get("part"))
        && ((Number) r.config().get("levels")).intValue() == 1024).findFirst().orElseThrow();
    assertEquals(0, notRun.metric("run"));
    assertTrue(notRun.metric("predicted_flops") > 1e9);
    RunRecord memo = runs.stream().filter(r -> "memorize".equals(r.config().get("part"))).findFirst().orElseThrow();
    assertTrue(memo.metric("max_error") <= 1e-8);
    List<Claim> claims = smokeClaims(e6);
    assertTrue(claims.stream().anyMatch(c -> c.name().equals("u3-prompt-length-formula") && c.passed()));
  }
}
