/**
 * Parameter-efficient fine-tuning on top of {@code ptlab-nn}: the methods (one package each: {@code prompt},
 * {@code prefix}, {@code lora}, {@code full}), the tuned model that composes them, adapter files in PEFT's layout,
 * batching ({@code batch}) and the trainer with checkpoints and resume ({@code train}).
 *
 * <p>Not here: reading data files and models ({@code ptlab-io}: {@code org.ptlab.io.data},
 * {@code org.ptlab.io.model}).
 */
package org.ptlab.tuning;
