package org.ptlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ptlab.io.data.CsvDataset;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.TextDatasets;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * Reads the {@code --data} and {@code --validation} files of one command (JSONL or CSV, by extension). CSV labels
 * may be class names; they get ids in order of first appearance, and the files read later through the same
 * instance (a validation file, or an eval file given the names an adapter was trained with) keep those ids.
 */
final class DataFiles {
  private List<String> classNames;

  DataFiles(List<String> knownClassNames) {
    this.classNames = List.copyOf(knownClassNames);
  }

  Dataset read(Path file, Tokenizer tokenizer) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".csv")) return TextDatasets.read(file, tokenizer);
    CsvDataset.Result r = CsvDataset.read(file, tokenizer, classNames);
    classNames = r.classNames();
    return r.dataset();
  }

  /** The class names seen so far in CSV files, in id order (empty for numeric labels and JSONL). */
  List<String> classNames() {
    return classNames;
  }
}
