package org.ptlab.tuning.train;

import java.util.List;

/**
 * What a run did.
 *
 * @param history one record per finished epoch
 * @param steps optimizer steps in total (resumed runs count the steps before the interruption)
 * @param seconds wall time of this invocation
 * @param stopReason "completed", "max_steps" or "early_stopping"
 * @param losses training loss of every step of this invocation, in order
 */
public record TrainResult(List<EpochRecord> history, long steps, double seconds, String stopReason, double[] losses) {}
