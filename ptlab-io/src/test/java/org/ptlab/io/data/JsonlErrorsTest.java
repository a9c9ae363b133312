package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptlab.io.tokenizer.Tokenizer;

/** Every kind of bad line is reported as one line, {@code FILE:LINE: what is wrong}. */
class JsonlErrorsTest {
  @TempDir Path dir;

  static final String OK = "{\"tokens\":[1,2],\"label\":0}\n";
  static final String OK_IN = "{\"inputs\":[[1,2],[3,4]],\"target\":[[1],[2]]}\n";

  /** (file content, line the error must name, a fragment of the message). */
  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(OK + "{\"tokens\": [1, 2}\n", 2, "malformed JSON at column"),
        Arguments.of("{\"tokens\":[1]} {\"tokens\":[2]}\n", 1, "malformed JSON at column 16: more than one JSON value on the line"),
        Arguments.of("{\"tokens\":[1],\"label\":0,\"label\":1}\n", 1, "Duplicate field 'label'"),
        Arguments.of("[1, 2]\n", 1, "expected one JSON object per line, got an array"),
        Arguments.of(OK + "\n\n{\"label\":1}\n", 4, "no input: give one of \"tokens\", \"text\" or \"inputs\""),
        Arguments.of("{\"tokens\":[1],\"inputs\":[[1]]}\n", 1, "more than one input"),
        Arguments.of("{\"tokens\":[1],\"label\":0,\"target\":0.5}\n", 1, "both \"label\" and \"target\""),
        Arguments.of("{\"tokens\":\"1 2\"}\n", 1, "\"tokens\" must be an array of token ids, got a string \"1 2\""),
        Arguments.of("{\"tokens\":[1, 2.5]}\n", 1, "\"tokens\"[1] must be an integer token id, got a number 2.5"),
        Arguments.of("{\"tokens\":[1, 10000000000]}\n", 1, "\"tokens\"[1] must be an integer token id"),
        Arguments.of(OK + "{\"tokens\":[4, -3],\"label\":0}\n", 2, "\"tokens\"[1] is -3; token ids must be non-negative"),
        Arguments.of("{\"tokens\":[]}\n", 1, "\"tokens\" is empty"),
        Arguments.of(OK + "{\"tokens\":[1],\"label\":-1}\n", 2, "\"label\" must be a non-negative integer class id, got a number -1"),
        Arguments.of("{\"tokens\":[1],\"label\":\"pos\"}\n", 1, "got a string \"pos\""),
        Arguments.of("{\"tokens\":[1],\"label\":1.5}\n", 1, "\"label\" must be a non-negative integer"),
        Arguments.of("{\"text\":\"a b\"}\n", 1, "\"text\" needs a tokenizer and this model has none; give token ids as \"tokens\""),
        Arguments.of("{\"text\":5}\n", 1, "\"text\" must be a string, got a number 5"),
        Arguments.of("{\"inputs\":[[1,2],[3]]}\n", 1, "\"inputs\"[1] has 1 number but \"inputs\"[0] has 2 numbers (ragged rows)"),
        Arguments.of("{\"inputs\":[]}\n", 1, "\"inputs\" must be a non-empty array of rows"),
        Arguments.of("{\"inputs\":[1,2]}\n", 1, "\"inputs\"[0] must be a non-empty array of numbers, got a number 1"),
        Arguments.of("{\"inputs\":[[1,\"x\"]]}\n", 1, "\"inputs\"[0][1] must be a number, got a string \"x\""),
        Arguments.of("{\"inputs\":[[1,1e400]]}\n", 1, "\"inputs\"[0][1] is Infinity; numbers must be finite doubles"),
        Arguments.of("{\"inputs\":[[1]],\"target\":\"high\"}\n", 1, "\"target\" must be a number, an array of numbers or an array of rows"),
        Arguments.of("{\"inputs\":[[1]],\"target\":[]}\n", 1, "\"target\" must be a number"),
        Arguments.of("{\"inputs\":[[1],[2]],\"target\":[[1],[2],[3]]}\n", 1, "\"target\" has 3 rows but the input has 2 positions"),
        Arguments.of("{\"inputs\":[[1],[2]],\"target\":[[1,2],[3]]}\n", 1, "\"target\"[1] has 1 number but \"target\"[0] has 2 numbers"),
        Arguments.of("{\"inputs\":[[1]],\"target\":[1,[2]]}\n", 1, "\"target\"[1] must be a number, got an array"),
        Arguments.of(OK + OK + "{\"inputs\":[[1]],\"label\":0}\n", 3, "uses \"inputs\" but line 1 uses token ids"),
        Arguments.of(OK_IN + "{\"inputs\":[[1,2,3]],\"target\":[[1]]}\n", 2, "\"inputs\" rows have 3 numbers but line 1's have 2 numbers"),
        Arguments.of(OK + "{\"tokens\":[1],\"target\":0.5}\n", 2, "has a per-sequence \"target\" but line 1 has a \"label\""),
        Arguments.of(OK + "{\"tokens\":[1]}\n", 2, "has no \"label\" or \"target\" but line 1 has a \"label\""),
        Arguments.of(OK_IN + "{\"inputs\":[[1,2]],\"target\":[[1,2]]}\n", 2, "\"target\" has 2 numbers per position but line 1's has 1 number"),
        Arguments.of("{\"tokens\":[1],\"target\":[1,2]}\n{\"tokens\":[1],\"target\":[1]}\n", 2, "\"target\" has 1 number per sequence but line 1's has 2 numbers"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void badLineIsNamedInOneLine(String content, int line, String fragment) {
    Path file = Files2.write(dir, "bad.jsonl", content);
    DataException e = assertThrows(DataException.class, () -> JsonlDataset.read(file, null));
    assertOneLine(e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void tokenizerFailureAndEmptyEncodingAreNamed() {
    Path file = Files2.write(dir, "t.jsonl", "{\"text\":\"a b\"}\n{\"text\":\"a boom\"}\n");
    DataException e = assertThrows(DataException.class, () -> JsonlDataset.read(file, new ToyTokenizer()));
    assertEquals(file + ":2: \"text\" cannot be tokenized: word \"boom\" is not in the vocabulary", e.getMessage());

    Tokenizer none = new Tokenizer() {
      public int[] encode(String text) { return new int[0]; }
      public int padId() { return 0; }
    };
    DataException empty = assertThrows(DataException.class, () -> JsonlDataset.read(file, none));
    assertTrue(empty.getMessage().startsWith(file + ":1: \"text\" encodes to no tokens"), empty.getMessage());
  }

  @Test
  void everyBadLineIsListedAndTheMessageCountsThem() {
    Path file = Files2.write(dir, "many.jsonl", OK + "{\"tokens\":[]}\n" + OK + "oops\n{\"label\":0}\n");
    DataException e = assertThrows(DataException.class, () -> JsonlDataset.read(file, null));
    assertOneLine(e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ":2: \"tokens\" is empty"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(and 2 more problems)"), e.getMessage());
    assertEquals(3, e.problems().size());
    assertTrue(e.problems().get(1).startsWith(file + ":4: malformed JSON"), e.problems().get(1));
    assertTrue(e.problems().get(2).startsWith(file + ":5: no input"), e.problems().get(2));
    e.problems().forEach(JsonlErrorsTest::assertOneLine);
  }

  @Test
  void emptyFileMissingFileAndBadEncoding() throws IOException {
    Path empty = Files2.write(dir, "empty.jsonl", "");
    assertEquals(empty + ": no examples (the file is empty or has only blank lines)",
        assertThrows(DataException.class, () -> JsonlDataset.read(empty, null)).getMessage());
    Path blank = Files2.write(dir, "blank.jsonl", "\n  \n\n");
    assertTrue(assertThrows(DataException.class, () -> JsonlDataset.read(blank, null)).getMessage()
        .startsWith(blank + ": no examples"));

    Path missing = dir.resolve("missing.jsonl");
    assertEquals(missing + ": no such file",
        assertThrows(DataException.class, () -> JsonlDataset.read(missing, null)).getMessage());

    Path latin1 = dir.resolve("latin1.jsonl");
    byte[] line1 = OK.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] line2 = "{\"text\":\"caf\u00e9\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] all = new byte[line1.length + line2.length];
    System.arraycopy(line1, 0, all, 0, line1.length);
    System.arraycopy(line2, 0, all, line1.length, line2.length);
    Files.write(latin1, all);
    DataException e = assertThrows(DataException.class, () -> JsonlDataset.read(latin1, null));
    assertEquals(latin1 + ":2: not valid UTF-8 text", e.getMessage());
  }

  @Test
  void dataExceptionIsAnIllegalArgumentExceptionForTheCli() {
    assertTrue(IllegalArgumentException.class.isAssignableFrom(DataException.class));
  }

  static void assertOneLine(String message) {
    assertFalse(message.contains("\n") || message.contains("\r"), "message spans lines: " + message);
  }
}
