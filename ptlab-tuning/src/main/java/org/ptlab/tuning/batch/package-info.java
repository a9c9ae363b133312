/**
 * Batching for training and evaluation: the {@link org.ptlab.tuning.batch.Batcher} shuffles a
 * {@link org.ptlab.io.data.Dataset} per epoch (seeded) and pads into {@link org.ptlab.tuning.batch.Batch}es with
 * attend masks; a {@link org.ptlab.tuning.batch.BatchPosition} (epoch, batch) is all a checkpoint needs to resume
 * the stream.
 *
 * <p>Not here: reading files into datasets ({@code org.ptlab.io.data}); the prompt's own positions (the tuning
 * methods grow the masks).
 */
package org.ptlab.tuning.batch;
