package org.ptlab.lab.hu2025;

import java.util.Map;
import org.ptlab.lab.GridPoint;
import org.ptlab.lab.RunContext;

/**
 * One E8 run: the capacity search at one prompt length on one random model (the model and the data pool come from
 * the repeat's task seed, so every m_p of a repeat sees the same model and data).
 *
 * @param d token dimension of the {@code paper} preset
 * @param mlp its MLP hidden width
 * @param L input tokens per sequence
 * @param readout {@code last}: one target per sequence, at the last input position; {@code all}: one per position
 * @param promptLength m_p
 * @param nMax the largest dataset tried (the search reports a capacity of n_max as censored)
 * @param steps Adam steps per fit at most (a fit stops as soon as it is within tolerance)
 * @param restarts random initial prompts tried per n before the fit counts as failed
 * @param lr Adam's learning rate
 * @param labels K: each example's random label picks one of K realizable targets (see {@link E8Capacity#data})
 * @param tol a fit: every read output entry within tol of its target
 * @param deltaP the grid of the quantized prompt (entries rounded to multiples of δ_P)
 * @param clip quantized prompt entries are clipped to [−clip, clip] first, so they take 2·clip/δ_P + 1 values
 */
record E8Point(int d, int mlp, int L, String readout, int promptLength, int nMax, int steps, int restarts, double lr, int labels, double tol,
    double deltaP, double clip) implements GridPoint {

  E8Point {
    if (!readout.equals("last") && !readout.equals("all")) {
      throw new IllegalArgumentException("E8: config key 'readout' must be last or all, got " + readout);
    }
    if (labels < 2) throw new IllegalArgumentException("E8: config key 'labels' must be >= 2, got " + labels);
    if (!(tol > 0 && tol < 1)) throw new IllegalArgumentException("E8: config key 'tol' must be in (0, 1), got " + tol);
  }

  /** Read output entries per example: d (last position) or L·d (every position). */
  int entriesPerExample() {
    return readout.equals("all") ? L * d : d;
  }

  /** Values a quantized prompt entry can take: 2·clip/δ_P + 1 (grid points in [−clip, clip]). */
  double promptValues() {
    return Math.floor(2 * clip / deltaP + 1e-9) + 1;
  }

  /** log2 |quantized prompts| = d·m_p·log2(values): the counting side. */
  double promptBits() {
    return d * promptLength * Math.log(promptValues()) / Math.log(2);
  }

  @Override
  public Map<String, Object> toConfig() {
    return GridPoint.config("d", d, "mlp", mlp, "L", L, "readout", readout, "m_p", promptLength, "n_max", nMax,
        "steps", steps, "restarts", restarts, "lr", lr, "labels", labels, "tol", tol, "delta_p", deltaP, "clip", clip);
  }

  static E8Point of(RunContext c) {
    return new E8Point(c.intParam("d"), c.intParam("mlp"), c.intParam("L"), c.stringParam("readout"),
        c.intParam("m_p"), c.intParam("n_max"), c.intParam("steps"), c.intParam("restarts"), c.doubleParam("lr"), c.intParam("labels"), c.doubleParam("tol"),
        c.doubleParam("delta_p"), c.doubleParam("clip"));
  }
}
