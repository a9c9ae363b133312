/**
 * Experiments as code: the {@link org.ptlab.lab.Experiment} interface and what flows through it.
 *
 * <p>An experiment is one class in one file that says what to run (a grid of configs in three {@link
 * org.ptlab.lab.GridSize sizes}), how to run one point ({@code run(RunContext)} → {@link org.ptlab.lab.RunOutput}), what
 * to draw ({@link org.ptlab.lab.FigureSpec}, data only: it never plots) and what it checks ({@link
 * org.ptlab.lab.Claim}). {@link org.ptlab.lab.Experiments} finds them with {@link java.util.ServiceLoader}, so
 * adding one touches its own file and one line of {@code META-INF/services/org.ptlab.lab.Experiment}.
 *
 * <p>Not here: running sweeps, the SQLite run store and the CSV/JSON exports ({@code org.ptlab.lab.run}); charts
 * and the HTML page ({@code org.ptlab.lab.report}); {@code ptlab reproduce}'s driver ({@code org.ptlab.lab.reproduce});
 * the experiments themselves ({@code org.ptlab.lab.demo}, {@code org.ptlab.lab.wang2023}, {@code org.ptlab.lab.hu2025});
 * models and data ({@code ptlab-io}).
 */
package org.ptlab.lab;
