package org.ptlab.lab.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunOutput;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.RunTask;

/** Runs an experiment's smoke grid in-process (as the store would keep it) and checks the common contract. */
final class SmokeRuns {
  private SmokeRuns() {}

  static Results run(Experiment e) throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (RunTask t : RunTask.plan(e, GridSize.SMOKE)) {
      RunOutput o = e.run(t.context());
      runs.add(new RunRecord(e.id(), t.configHash(), t.config(), t.repeat(), t.seed(), RunRecord.DONE,
          Json.parseMap(Json.canonical(o.metrics())), Json.parseMap(Json.canonical(o.artifacts())), null, null, null,
          "test", "test", 1));
    }
    return new Results(e.id(), GridSize.SMOKE, runs);
  }

  /**
   * Every claim is computed (passed or failed, never error), or skipped only when named in {@code mayBeSkipped};
   * the claims of an empty result set are all skipped, none dropped; every figure has a series.
   */
  static void checkContract(Experiment e, Results results, Set<String> mayBeSkipped, int figures) {
    List<Claim> claims = e.claims(results);
    for (Claim c : claims) {
      if (mayBeSkipped.contains(c.name()) && c.status().equals(Claim.SKIPPED)) continue;
      assertTrue(List.of(Claim.PASSED, Claim.FAILED, Claim.OBSERVED).contains(c.status()), c.toString());
      assertFalse(Double.isNaN(c.measured()), c.toString());
    }
    List<Claim> empty = e.claims(new Results(e.id(), GridSize.SMOKE, List.of()));
    assertEquals(claims.size(), empty.size());
    assertTrue(empty.stream().allMatch(c -> c.status().equals(Claim.SKIPPED)), empty.toString());
    List<FigureSpec> figs = e.figures(results);
    assertEquals(figures, figs.size());
    for (FigureSpec f : figs) assertFalse(f.series().isEmpty(), f.id());
    e.figures(new Results(e.id(), GridSize.SMOKE, List.of())); // must cope with no runs
    assertTrue(e.explanation().contains("no numbers"), "the report must say the paper gives no numbers");
  }
}
