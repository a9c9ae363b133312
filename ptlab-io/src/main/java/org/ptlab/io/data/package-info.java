/**
 * Users' data files: JSONL ({@link org.ptlab.io.data.JsonlDataset}) and CSV ({@link org.ptlab.io.data.CsvDataset})
 * read into a checked {@link org.ptlab.io.data.Dataset} of {@link org.ptlab.io.data.Example}s (token ids, text
 * through a {@link org.ptlab.io.tokenizer.Tokenizer}, or continuous [m, d] inputs; with a class label, a regression
 * target, causal-LM per-token labels (Hugging Face's {@code labels}, or TRL's prompt-completion lines:
 * {@code TokenLabelsField}, {@code PromptCompletion}) or nothing), {@link org.ptlab.io.data.TextDatasets} to pick the reader by extension, and seeded
 * train/validation {@link org.ptlab.io.data.Splits}. {@link org.ptlab.io.data.DataFile} opens a data file only if it is a
 * regular file and reads it with a size cap (a FIFO or a device never blocks or fills the heap).
 *
 * <p>Rules kept everywhere here: bad data raises a {@link org.ptlab.io.data.DataException} whose message is one
 * line, {@code FILE:LINE: what is wrong} (a whole file is checked first and up to 100 problems are kept,
 * {@link org.ptlab.io.data.FileProblems}); the same seed gives the same split.
 *
 * <p>Not here: batching, shuffling and padding ({@code org.ptlab.tuning.batch}), prompt tokens and the masks'
 * growth by the prompt length (the tuning methods), the packaged real datasets ({@code org.ptlab.io.datasets}).
 */
package org.ptlab.io.data;
