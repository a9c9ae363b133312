/**
 * Training and evaluation: the task (loss and accuracy for the model's head), the trainer (seeded batches, LR
 * schedule, clipping, early stopping, NaN stop, progress bar, an optional {@link
 * org.ptlab.tuning.train.StepConstraint} projection after every step), and checkpoints that make {@code --resume} end
 * bit-identical to an uninterrupted run. Data files and batching are in {@code org.ptlab.tuning.data}.
 */
package org.ptlab.tuning.train;
