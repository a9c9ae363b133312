package org.ptlab.lab;

import java.util.List;
import java.util.Map;

/**
 * One experiment of DESIGN.md's table (E1…E10), or a demo: a grid of configs, how to run one, what to draw and what
 * it claims. Implementations are registered in {@code META-INF/services/org.ptlab.lab.Experiment} and must have a
 * public no-argument constructor; they must be stateless (runs of one experiment execute in parallel threads).
 *
 * <pre>{@code
 * public final class E4AttentionLipschitzExperiment implements Experiment {
 *   public String id() { return "E4"; }
 *   public List<Map<String, Object>> grid(GridSize size) {
 *     return GridPoint.configs(List.of(new E4Point(4), new E4Point(8)));
 *   }
 *   public RunOutput run(RunContext ctx) {
 *     E4Point p = E4Point.of(ctx);
 *     ... return RunOutput.of(Map.of("lipschitz", l));
 *   }
 *   public List<Claim> claims(Results r) { return E4Claims.claims(r); }
 *   ...
 * }
 * }</pre>
 * Naming and the claim builder: see the package documentation.
 */
public interface Experiment {
  /** "E1"…"E10" for the paper experiments; demos use other ids (e.g. "D0") and say so in {@link #title()}. */
  String id();

  /** One line, e.g. "Shared-token dataset: prompt tuning plateaus at the closed-form bound". */
  String title();

  /** The paper and section reproduced, e.g. "Wang et al. 2023 §5.1; spec wang2023.md §2.2". */
  String paper();

  /** Two lines for the report: what is run and what to look for. */
  String explanation();

  /**
   * The configs to run at {@code size}, in display order. Values: numbers, strings, booleans (JSON-able); each
   * config's canonical JSON is hashed into its identity in the run store, so changing a value makes a new run.
   */
  List<Map<String, Object>> grid(GridSize size);

  /** How many repeats (seeds) of each config at {@code size}. */
  int repeats(GridSize size);

  /**
   * Executes one run. Depends only on {@code ctx} (config, seeds): no global state, no time, no files. Throwing
   * marks the run as errored (stored with its message; {@code ptlab reproduce} then exits 1).
   */
  RunOutput run(RunContext ctx) throws Exception;

  /** The figures, from the completed runs. Must cope with missing configs (smoke grids, errored runs). */
  List<FigureSpec> figures(Results results);

  /** The claims, each checked on measured numbers; a claim with no data is {@code skipped}, not dropped. */
  List<Claim> claims(Results results);

  /** Names of metric columns to show in the report's results table, in order (default: all scalars). */
  default List<String> tableMetrics() {
    return List.of();
  }

  /**
   * True when a run measures time (E9's timings, benchmarks), so it must have the machine to itself: the sweep then
   * keeps one such run in flight, {@code InProcessExecutor} runs it with no other run in flight, a cluster executor
   * runs it on the driver, and the run's artifacts record the host it ran on ({@code timed_on}). Default false.
   */
  default boolean exclusive() {
    return false;
  }
}
