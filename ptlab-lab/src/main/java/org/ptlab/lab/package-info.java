/**
 * Experiments as code: the {@link org.ptlab.lab.Experiment} interface and what flows through it.
 *
 * <p>An experiment says what to run (a grid of configs in three {@link org.ptlab.lab.GridSize sizes}), how to run
 * one point ({@code run(RunContext)} → {@link org.ptlab.lab.RunOutput}), what to draw
 * ({@link org.ptlab.lab.FigureSpec}, data only: it never plots) and what it checks ({@link org.ptlab.lab.Claim}s). {@link org.ptlab.lab.Experiments}
 * finds them with {@link java.util.ServiceLoader}, so adding one touches its own files and one line of
 * {@code META-INF/services/org.ptlab.lab.Experiment}.
 *
 * <h2>Naming: every file of an experiment starts with its id</h2>
 * Experiment {@code Ek} lives in the package of its paper ({@code lab.wang2023}, {@code lab.hu2025}; demos in
 * {@code lab.demo}) as:
 * <ul>
 *   <li>{@code Ek<Name>Experiment}: the registered class (id, title, grids, run, figures, claims), e.g.
 *       {@code E9FastPromptAttentionExperiment}, {@code E10RealModelExperiment}, {@code D0PromptVsLoraExperiment};
 *   <li>{@code EkPoint}: its run parameters, a record implementing {@link org.ptlab.lab.GridPoint} (the grid is
 *       built from these; {@code EkPoint.of(ctx)} is the one place that reads config keys);
 *   <li>{@code EkClaims}, {@code EkFigures}: what it checks and draws, from {@link org.ptlab.lab.Results};
 *   <li>{@code Ek<Part>} for anything else it needs (e.g. {@code E9Timing}, {@code E10Data}); its test is
 *       {@code Ek<Name>ExperimentTest} and runs the smoke grid.
 * </ul>
 *
 * <h2>Claims</h2>
 * A {@link org.ptlab.lab.Claim} reads like the paper's sentence and carries where it comes from ([V] read in the
 * paper, [R] recalled, [D] derived here), its relation, bound and tolerance:
 * <pre>{@code
 * Claim.test("time-slope-exact").source(DERIVED)
 *     .says("Exact attention time grows quadratically in n: log-log slope over n ≥ 2048 is 2 within ±0.25.")
 *     .equalTo(2).within(0.25)
 *     .measure(() -> largest(results, "time", "slope_exact_large_n"));
 * }</pre>
 * What the data cannot decide (one seed where the seed noise is as large as the effect; a quantity that does not
 * measure what the theorem is about) is a {@code Claim.observation}: shown, never passed or failed. A failed claim
 * is a result: never loosen a bound to make it pass.
 *
 * <p>Not here: running sweeps, the SQLite run store and the CSV/JSON exports ({@code org.ptlab.lab.run}); charts
 * and the HTML page ({@code org.ptlab.lab.report}); {@code ptlab reproduce}'s driver ({@code org.ptlab.lab.reproduce});
 * models and data ({@code ptlab-io}); the constructions and certificates the experiments measure
 * ({@code ptlab-theory}).
 */
package org.ptlab.lab;
