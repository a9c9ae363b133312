/**
 * Everything PTLab reads from or writes to disk, in one module between {@code ptlab-nn} and {@code ptlab-tuning}.
 * This package holds what every file-writing layer shares: {@link org.ptlab.io.AtomicFiles} (write to a temp name,
 * then rename: nothing half-written), {@link org.ptlab.io.OneLine} (one-line error messages),
 * {@link org.ptlab.io.Json} (the shared JSON mappers and canonical JSON for config hashes),
 * {@link org.ptlab.io.RunFolder} (one writer per run folder through an OS lock; no symbolic links inside it) and
 * {@link org.ptlab.io.FiniteValues} (the NaN/inf check every result writer runs first: a refused value throws
 * {@link org.ptlab.io.NonFiniteValueException} before anything is written).
 *
 * <p>Sub-packages: {@code safetensors} (the strict reader and the writer), {@code model} (model folders and
 * {@link org.ptlab.io.model.ModelSource}, the one entry point that turns {@code --model NAME|DIR|FILE.onnx} into a
 * config, weights and a tokenizer), {@code onnx} (the ONNX reader behind the pretrained MiniLM), {@code tokenizer}
 * (the {@link org.ptlab.io.tokenizer.Tokenizer} interface and the pure-Java WordPiece), {@code data} (users' JSONL
 * and CSV files into a checked {@link org.ptlab.io.data.Dataset}, seeded splits) and {@code datasets} (the packaged
 * real datasets, fetched once from npm).
 *
 * <p>Not here: which tensor names an adapter uses (the tuning methods own PEFT's keys), batching (
 * {@code org.ptlab.tuning.batch}), the run store ({@code org.ptlab.lab.run}).
 */
package org.ptlab.io;
