package org.ptlab.tuning.train;

/**
 * One epoch of a run.
 *
 * @param epoch 0-based
 * @param step optimizer steps taken when the epoch ended
 * @param trainLoss mean training loss over the epoch's steps
 * @param validation validation metrics, or null without a validation set
 */
public record EpochRecord(int epoch, long step, double trainLoss, Metrics validation) {}
