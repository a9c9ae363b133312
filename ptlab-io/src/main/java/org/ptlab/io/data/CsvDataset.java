package org.ptlab.io.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * Reads a text-classification file in CSV (RFC 4180, UTF-8), the format spreadsheets export:
 *
 * <pre>
 * id,text,label
 * 1,"A fine film, really.",pos
 * 2,"Two ""stars"", at most",neg
 * </pre>
 *
 * The first record is the header and must name a {@code text} and a {@code label} column (any order, any case;
 * other columns are ignored). Every row has as many fields as the header. A label is either a class id (an
 * integer ≥ 0, as in JSONL's {@code "label"}) on every row, or a class name on every row; names get ids in order of
 * first appearance, after any names given by the caller, so that a validation file can reuse the training file's
 * ids: {@code read(val, tok, train.classNames())}. Text is encoded by the model's tokenizer; blank lines are skipped.
 *
 * <p>Like {@link JsonlDataset}, the whole file is checked first and a {@link DataException} names the first bad
 * row as {@code FILE:LINE: what is wrong} (the line a row starts on), listing every bad row in its problems.
 */
public final class CsvDataset {
  /**
   * A dataset read from CSV, and the class names its ids stand for.
   *
   * @param classNames name of class id i at index i; empty if the file's labels were class ids
   */
  public record Result(Dataset dataset, List<String> classNames) {
    public Result {
      classNames = List.copyOf(classNames);
    }
  }

  private CsvDataset() {}

  /** Reads and checks {@code file}; class names, if any, get ids in order of first appearance. */
  public static Dataset read(Path file, Tokenizer tokenizer) {
    return read(file, tokenizer, List.of()).dataset();
  }

  /**
   * Reads and checks {@code file}.
   *
   * @param tokenizer encodes the text column; null for a model without one (then every row is an error)
   * @param knownClasses class names whose ids are fixed already (ids 0, 1, ...), e.g. the training file's; names
   *     not among them get the next ids. Ignored if the labels are class ids.
   * @throws DataException if the file cannot be read, has no rows, or has a bad header or row
   */
  public static Result read(Path file, Tokenizer tokenizer, List<String> knownClasses) {
    String source = file.toString();
    byte[] bytes = DataFile.readAll(file);
    return parse(decode(bytes, source), source, tokenizer, knownClasses);
  }

  static Result parse(String text, String source, Tokenizer tokenizer, List<String> knownClasses) {
    if (text.startsWith("\uFEFF")) text = text.substring(1); // byte-order mark, as Excel writes it
    CsvRecords records = new CsvRecords(text);
    FileProblems problems = new FileProblems();
    try {
      CsvRecords.Row header = nextNonBlank(records);
      if (header == null) throw new DataException(source + ": no rows (the file is empty)");
      int textCol = column(header, "text", source);
      int labelCol = column(header, "label", source);
      Labels labels = new Labels(knownClasses);
      List<Example> examples = new ArrayList<>();
      DatasetShape shape = new DatasetShape();
      for (CsvRecords.Row row; (row = nextNonBlank(records)) != null; ) {
        String where = source + ":" + row.line();
        try {
          Example ex = example(row, header.fields().size(), textCol, labelCol, labels, tokenizer);
          String problem = shape.accept(ex, "line " + row.line());
          if (problem != null) problems.add(where, problem);
          else examples.add(ex);
        } catch (JsonlLine.Bad e) {
          problems.add(where, e.getMessage());
        }
      }
      problems.throwIfAny();
      if (examples.isEmpty()) throw new DataException(source + ": no rows after the header");
      return new Result(Dataset.trusted(source, examples, shape.meta()), labels.names());
    } catch (CsvRecords.Malformed e) {
      problems.add(source + ":" + e.line, e.getMessage());
      problems.throwIfAny();
      throw new AssertionError("unreachable");
    }
  }

  private static Example example(CsvRecords.Row row, int columns, int textCol, int labelCol, Labels labels,
      Tokenizer tokenizer) {
    List<String> f = row.fields();
    if (f.size() != columns) {
      throw new JsonlLine.Bad("row has " + f.size() + " fields but the header has " + columns
          + (f.size() > columns ? " (a comma in unquoted text? put the text in double quotes)" : ""));
    }
    String text = f.get(textCol);
    if (text.isBlank()) throw new JsonlLine.Bad("empty text");
    int label = labels.id(f.get(labelCol).strip());
    if (tokenizer == null) {
      throw new JsonlLine.Bad("text needs a tokenizer and this model has none; give token ids in a JSONL file instead");
    }
    int[] ids;
    try {
      ids = tokenizer.encode(text);
    } catch (IllegalArgumentException e) {
      throw new JsonlLine.Bad("text cannot be tokenized: " + e.getMessage());
    }
    if (ids == null || ids.length == 0) throw new JsonlLine.Bad("text encodes to no tokens");
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0) throw new JsonlLine.Bad("the tokenizer gave token id " + ids[i] + " at position " + i);
    }
    return new Example(ids, null, new Target.Label(label), text, row.line());
  }

  private static CsvRecords.Row nextNonBlank(CsvRecords records) {
    CsvRecords.Row row;
    do {
      row = records.next();
    } while (row != null && row.fields().size() == 1 && row.fields().get(0).isBlank());
    return row;
  }

  private static int column(CsvRecords.Row header, String name, String source) {
    int found = -1;
    for (int i = 0; i < header.fields().size(); i++) {
      if (!header.fields().get(i).strip().toLowerCase(Locale.ROOT).equals(name)) continue;
      if (found >= 0) throw new DataException(source + ":" + header.line() + ": two \"" + name + "\" columns in the header");
      found = i;
    }
    if (found < 0) {
      throw new DataException(source + ":" + header.line() + ": no \"" + name + "\" column in the header (it has: "
          + String.join(", ", header.fields()) + ")");
    }
    return found;
  }

  /** Strict UTF-8: a bad byte is an error naming its line, not a U+FFFD to train on. */
  private static String decode(byte[] bytes, String source) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
      throw new DataException(source + ":" + line + ": not valid UTF-8 text");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** Class ids as given, or class names numbered in order of first appearance; one kind per file. */
  private static final class Labels {
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private Boolean numeric; // decided by the first label

    Labels(List<String> known) {
      for (String name : known) ids.putIfAbsent(name, ids.size());
    }

    int id(String label) {
      if (label.isEmpty()) throw new JsonlLine.Bad("empty label");
      boolean isNumber = label.chars().allMatch(c -> c >= '0' && c <= '9');
      if (label.matches("-[0-9]+")) {
        throw new JsonlLine.Bad("label " + label + " is negative; a class id is an integer ≥ 0 (or use class names)");
      }
      if (numeric == null) numeric = isNumber;
      if (isNumber != numeric) {
        throw new JsonlLine.Bad("label \"" + label + "\" is a class " + (isNumber ? "id" : "name") + " but earlier"
            + " labels are class " + (numeric ? "ids" : "names") + "; use one kind in a file");
      }
      if (isNumber) {
        try {
          return Integer.parseInt(label);
        } catch (NumberFormatException e) {
          throw new JsonlLine.Bad("label " + label + " is too large for a class id");
        }
      }
      return ids.computeIfAbsent(label, k -> ids.size());
    }

    List<String> names() {
      return Boolean.FALSE.equals(numeric) ? new ArrayList<>(ids.keySet()) : List.of();
    }
  }
}
