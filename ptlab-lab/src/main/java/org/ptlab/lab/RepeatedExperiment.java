package org.ptlab.lab;

import java.util.List;
import java.util.Map;

/**
 * An experiment run with another number of repeats (seeds) than its own: {@code ptlab reproduce --repeats N}. Every
 * other answer is the wrapped experiment's, so config hashes, seeds and the run store's keys stay the same: a quick
 * run followed by {@code --repeats 3} runs only the two new seeds of each config.
 */
public final class RepeatedExperiment implements Experiment {
  private final Experiment inner;
  private final int repeats;

  public RepeatedExperiment(Experiment inner, int repeats) {
    if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
    this.inner = inner;
    this.repeats = repeats;
  }

  @Override
  public int repeats(GridSize size) {
    return repeats;
  }

  @Override
  public String id() {
    return inner.id();
  }

  @Override
  public String title() {
    return inner.title();
  }

  @Override
  public String paper() {
    return inner.paper();
  }

  @Override
  public String explanation() {
    return inner.explanation();
  }

  @Override
  public List<Map<String, Object>> grid(GridSize size) {
    return inner.grid(size);
  }

  @Override
  public RunOutput run(RunContext ctx) throws Exception {
    return inner.run(ctx);
  }

  @Override
  public List<FigureSpec> figures(Results results) {
    return inner.figures(results);
  }

  @Override
  public List<Claim> claims(Results results) {
    return inner.claims(results);
  }

  @Override
  public List<String> tableMetrics() {
    return inner.tableMetrics();
  }
}
