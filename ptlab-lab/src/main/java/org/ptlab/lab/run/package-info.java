/**
 * Running experiments: planning a sweep ({@link org.ptlab.lab.run.RunTask}), executing it ({@link
 * org.ptlab.lab.run.RunExecutor}, in-process by default), storing every run in SQLite so that an interrupted sweep
 * resumes ({@link org.ptlab.lab.run.RunStore}) and exporting CSV/JSON ({@link org.ptlab.lab.run.Exports}).
 *
 * <p>Invariants: a run's identity is (experiment, SHA-256 of its canonical config JSON, repeat); its seeds derive
 * from that identity, so results do not depend on scheduling or thread count; only the driver thread writes to
 * the store; a finished run is never recomputed and a run delivered twice is stored once; files are written to a
 * temporary name and renamed ({@link org.ptlab.io.AtomicFiles}).
 *
 * <p>Not here: the experiments ({@code org.ptlab.lab.*}) and the figures and HTML page ({@code org.ptlab.lab.report}).
 */
package org.ptlab.lab.run;
