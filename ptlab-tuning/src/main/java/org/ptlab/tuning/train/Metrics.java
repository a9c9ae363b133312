package org.ptlab.tuning.train;

/**
 * Loss and accuracy over a dataset.
 *
 * @param loss mean loss per example (per scored token for a language model, per real position for per-position
 *     targets)
 * @param accuracy fraction correct, or NaN when the task has no notion of it (regression)
 * @param n examples scored
 */
public record Metrics(double loss, double accuracy, int n) {}
