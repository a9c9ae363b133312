package org.ptlab.io.data;

import java.nio.file.Path;
import java.util.Locale;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * Reads a user's data file by its extension: {@code .jsonl} (or {@code .ndjson}, or {@code .json}, which
 * exporters such as pandas' {@code to_json(lines=True)} and Hugging Face datasets' {@code to_json} write as JSON
 * lines too) with {@link JsonlDataset},
 * {@code .csv} with {@link CsvDataset}. One entry point for commands that take {@code --data FILE}.
 *
 * <p>CSV class names get ids in order of first appearance in each file; to give a validation file the training
 * file's ids, call {@link CsvDataset#read(Path, Tokenizer, java.util.List)} with the training file's names.
 */
public final class TextDatasets {
  private TextDatasets() {}

  /**
   * @throws DataException if the extension is not one of the above, or the file is bad (see the readers)
   */
  /** What {@link #read} accepts, for messages. */
  public static final String ACCEPTED = ".jsonl, .ndjson or .json (JSON lines) or .csv";

  public static Dataset read(Path file, Tokenizer tokenizer) {
    DataFile.check(file); // a device or FIFO is refused as such, not for its extension
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return JsonlDataset.read(file, tokenizer);
    if (name.endsWith(".csv")) return CsvDataset.read(file, tokenizer);
    int dot = name.lastIndexOf('.');
    String ext = dot >= 0 ? "\"" + name.substring(dot) + "\"" : "no extension";
    throw new DataException(file + ": unknown data format (" + ext + "); use a " + ACCEPTED + " file");
  }
}
