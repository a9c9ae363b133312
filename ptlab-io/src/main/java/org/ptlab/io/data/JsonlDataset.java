package org.ptlab.io.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ptlab.io.Json;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * Reads a training file in JSON Lines: one JSON object per line, UTF-8, blank lines skipped.
 *
 * <pre>
 * {"tokens": [101, 2023, 102], "label": 1}           token ids (including any [CLS]/[SEP]) and a class id
 * {"text": "a fine film", "label": 0}                text, encoded by the model's tokenizer
 * {"inputs": [[0.1, 0.2], [0.3, 0.4]], "target": [[1, 0], [0, 1]]}   vectors [m, d], per-position target [m, k]
 * {"inputs": [[0.1, 0.2]], "target": 0.5}            a per-sequence target: a number or an array of numbers
 * {"input_ids": [5, 6, 7], "labels": [-100, 6, 7]}   causal-LM labels per token, -100 = ignored (Hugging Face's)
 * {"prompt": "2+2=", "completion": "4"}              TRL's prompt-completion pair: loss on the completion only
 * </pre>
 *
 * <p>Language-model lines: {@code "input_ids"} is another name for {@code "tokens"}; {@code "labels"} (with
 * {@code "tokens"}, {@code "input_ids"} or {@code "text"}) has one entry per token, a token id or −100, shifted as in
 * {@code transformers} (position i's output is scored against {@code labels[i+1]}); a prompt-completion line is
 * encoded as TRL does ({@link PromptCompletion}). Either gives {@link TargetKind#TOKEN_LABELS}.
 *
 * Each line has exactly one input field ({@code "tokens"}, {@code "text"} or {@code "inputs"}) and at most one of
 * {@code "label"} (a non-negative integer) or {@code "target"}; a field set to {@code null} counts as absent, and
 * other fields (ids, metadata) are ignored. A per-position target has one row per position of the sequence the
 * model reads: per token id, so for {@code "text"} per token of the encoding, including special tokens. Every line of a file uses the same input kind ({@code "tokens"} and
 * {@code "text"} both give token ids and may mix) and the same target kind and width.
 *
 * <p>The whole file is checked before anything is returned: a {@link DataException} names the first bad line as
 * {@code FILE:LINE: what is wrong} and lists every bad line in {@link DataException#problems()}.
 */
public final class JsonlDataset {

  private JsonlDataset() {}

  /**
   * Reads and checks {@code file}.
   *
   * @param tokenizer encodes {@code "text"} lines; null for a model without one (then only "tokens" and "inputs")
   * @throws DataException if the file cannot be read, is empty, or has a bad line
   */
  public static Dataset read(Path file, Tokenizer tokenizer) {
    String source = file.toString();
    try (InputStream in = DataFile.open(file)) {
      return read(in, source, tokenizer);
    } catch (IOException e) {
      throw new DataException(source + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * Reads JSONL from {@code in} (e.g. a classpath resource); {@code source} names it in messages. Does not close
   * {@code in}.
   */
  public static Dataset read(InputStream in, String source, Tokenizer tokenizer) throws IOException {
    List<Example> examples = new ArrayList<>();
    DatasetShape shape = new DatasetShape();
    FileProblems problems = new FileProblems();
    Utf8Lines lines = new Utf8Lines(in);
    for (int lineNo = 1; ; lineNo++) {
      String line;
      String where = source + ":" + lineNo;
      try {
        line = lines.next();
      } catch (CharacterCodingException e) {
        problems.add(where, "not valid UTF-8 text");
        continue;
      }
      if (line == null) break;
      if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // byte-order mark
      if (line.isBlank()) continue;
      try {
        Example ex = JsonlLine.parse(parseJson(line), lineNo, tokenizer);
        String problem = shape.accept(ex, "line " + lineNo);
        if (problem != null) problems.add(where, problem);
        else examples.add(ex);
      } catch (JsonlLine.Bad e) {
        problems.add(where, e.getMessage());
      }
    }
    problems.throwIfAny();
    if (shape.isEmpty()) throw new DataException(source + ": no examples (the file is empty or has only blank lines)");
    return Dataset.trusted(source, examples, shape.meta());
  }

  private static JsonNode parseJson(String line) {
    try {
      return Json.STRICT.readTree(line);
    } catch (JsonProcessingException e) {
      // Jackson's message spans lines and repeats the source; keep its first line and the column.
      String first = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").strip();
      int cut = first.indexOf(" (for ");
      if (cut < 0) cut = first.indexOf(" at [Source");
      if (cut > 0) first = first.substring(0, cut);
      if (first.startsWith("Trailing token")) first = "more than one JSON value on the line";
      int column = e.getLocation() != null ? e.getLocation().getColumnNr() : -1;
      throw new JsonlLine.Bad("malformed JSON" + (column > 0 ? " at column " + column : "") + ": " + first);
    }
  }
}
