package org.ptlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.run.RunTask;

class RepeatedExperimentTest {
  @Test
  void moreRepeatsKeepTheFirstRunsKeysAndSeeds() {
    Experiment d0 = Experiments.select(Experiments.all(), "D0").get(0);
    List<RunTask> own = RunTask.plan(d0, GridSize.SMOKE);
    List<RunTask> three = RunTask.plan(new RepeatedExperiment(d0, 3), GridSize.SMOKE);
    assertEquals(own.size() * 3 / d0.repeats(GridSize.SMOKE), three.size());
    for (RunTask t : own) {
      RunTask same = three.stream().filter(x -> x.key().equals(t.key())).findFirst().orElseThrow();
      assertEquals(t.seed(), same.seed());
      assertEquals(t.taskSeed(), same.taskSeed());
    }
    assertThrows(IllegalArgumentException.class, () -> new RepeatedExperiment(d0, 0));
  }
}
