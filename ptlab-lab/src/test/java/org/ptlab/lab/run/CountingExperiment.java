package org.ptlab.lab.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.tensor.random.Rng;

/**
 * A test experiment (not registered): {@code configs} configs × 2 repeats; each run sleeps {@code sleepMs} and
 * returns a number drawn from its seed, plus the id of the process that computed it (so a test can tell a stored
 * run from a recomputed one). Config {@code k == failAt} throws.
 */
public final class CountingExperiment implements Experiment {
  final int configs;
  final int sleepMs;
  final int failAt;

  public CountingExperiment(int configs, int sleepMs, int failAt) {
    this.configs = configs;
    this.sleepMs = sleepMs;
    this.failAt = failAt;
  }

  @Override
  public String id() {
    return "T1";
  }

  @Override
  public String title() {
    return "test: counting";
  }

  @Override
  public String paper() {
    return "none";
  }

  @Override
  public String explanation() {
    return "a test experiment";
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    List<Map<String, Object>> g = new ArrayList<>();
    for (int k = 0; k < configs; k++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("k", k);
      c.put("name", "cfg-" + k);
      g.add(c);
    }
    return g;
  }

  @Override
  public int repeats(GridSize size) {
    return 2;
  }

  @Override
  public RunOutput run(RunContext ctx) throws InterruptedException {
    int k = ctx.intParam("k");
    if (k == failAt) throw new IllegalStateException("config " + k + " fails on purpose");
    Thread.sleep(sleepMs);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value", new Rng(ctx.seed()).nextDouble());
    m.put("task_value", new Rng(ctx.taskSeed()).nextDouble());
    m.put("pid", ProcessHandle.current().pid());
    return new RunOutput(m, Map.of("curve", List.of(1.0, 0.5, 0.25)));
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    double[] x = results.done().stream().mapToDouble(r -> ((Number) r.config().get("k")).doubleValue()).toArray();
    double[] y = Results.metric(results.done(), "value");
    return List.of(new FigureSpec("T1-values", "values", "k (index)", "value (unitless)", false, false, Double.NaN,
        List.of(new FigureSpec.Series("value", x, y, FigureSpec.Style.POINTS),
            FigureSpec.Series.horizontal("bound", 1.0, 0, configs, FigureSpec.Style.BOUND)), "test figure"));
  }

  @Override
  public List<Claim> claims(Results results) {
    return List.of(
        Claim.test("values-below-one").says("every value < 1").source(Claim.Source.DERIVED).atMost(1)
            .measured(Results.max(Results.metric(results.done(), "value"))),
        Claim.test("impossible").says("a claim that fails").source(Claim.Source.DERIVED).atMost(1).measured(2));
  }
}
