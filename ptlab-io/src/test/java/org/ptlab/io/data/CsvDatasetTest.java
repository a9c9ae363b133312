package org.ptlab.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CSV text-classification files: RFC 4180 quoting, labels as ids or names, and one-line FILE:LINE errors. */
class CsvDatasetTest {
  @TempDir Path dir;
  final ToyTokenizer tok = new ToyTokenizer();

  @Test
  void quotedFieldsCommasNewlinesAndEscapes() {
    Path file = Files2.write(dir, "a.csv", "id,text,label,note\r\n"
        + "1,\"a fine film, really\",1,x\r\n"
        + "2,\"two b\"\"a\"\"d lines\nhere\",0,\r\n"
        + "\r\n"
        + "3,plain words,1,\"ignored, \"\"really\"\"\"\r\n");
    Dataset ds = CsvDataset.read(file, tok);
    assertEquals(3, ds.size());
    assertEquals("a fine film, really", ds.get(0).text());
    assertArrayEquals(tok.encode("a fine film, really"), ds.get(0).tokens());
    assertEquals("two b\"a\"d lines\nhere", ds.get(1).text());
    assertEquals(List.of(1, 0, 1), ds.examples().stream().map(Example::label).toList());
    assertEquals(List.of(2, 3, 6), ds.examples().stream().map(Example::line).toList()); // the line a row starts on
    assertEquals(TargetKind.LABEL, ds.targetKind());
    assertEquals(2, ds.numClasses());
    assertEquals(file + ":3", ds.where(1));
  }

  @Test
  void columnsInAnyOrderAnyCaseWithBomAndNoFinalNewline() {
    Path file = Files2.write(dir, "b.csv", "\uFEFFLabel, Text \n2,hello world\n0,\"bye\"");
    Dataset ds = CsvDataset.read(file, tok);
    assertEquals(List.of("hello world", "bye"), ds.examples().stream().map(Example::text).toList());
    assertEquals(3, ds.numClasses());
  }

  @Test
  void classNamesGetIdsInOrderOfFirstAppearanceAndCanBeReused() {
    Path train = Files2.write(dir, "train.csv", "text,label\ngood film,pos\nbad film,neg\nfine film,pos\n");
    CsvDataset.Result r = CsvDataset.read(train, tok, List.of());
    assertEquals(List.of("pos", "neg"), r.classNames());
    assertEquals(List.of(0, 1, 0), r.dataset().examples().stream().map(Example::label).toList());

    Path val = Files2.write(dir, "val.csv", "text,label\nawful,neg\nmeh,neutral\ngreat,pos\n");
    CsvDataset.Result v = CsvDataset.read(val, tok, r.classNames());
    assertEquals(List.of(1, 2, 0), v.dataset().examples().stream().map(Example::label).toList());
    assertEquals(List.of("pos", "neg", "neutral"), v.classNames());
    // Read alone, the validation file would number its classes differently: that is why the names can be passed.
    assertEquals(List.of(0, 1, 2), CsvDataset.read(val, tok).examples().stream().map(Example::label).toList());

    Path ids = Files2.write(dir, "ids.csv", "text,label\na,0\nb,1\n");
    assertEquals(List.of(), CsvDataset.read(ids, tok, List.of("pos", "neg")).classNames());
  }

  /** (file content, line the error must name, a fragment of the message). */
  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("words,label\na,1\n", 1, "no \"text\" column in the header (it has: words, label)"),
        Arguments.of("text,class\na,1\n", 1, "no \"label\" column in the header (it has: text, class)"),
        Arguments.of("text,label,Text\na,1,b\n", 1, "two \"text\" columns in the header"),
        Arguments.of("text,label\na,1\n\"never closed,1\nb,0\n", 3, "unterminated quoted field (the quote opened on line 3 is never closed)"),
        Arguments.of("text,label\n\"a\"b,1\n", 2, "unexpected text after a closing quote"),
        Arguments.of("text,label\na,1\nb,-1\n", 3, "label -1 is negative"),
        Arguments.of("text,label\na,1\nb,pos\n", 3, "label \"pos\" is a class name but earlier labels are class ids"),
        Arguments.of("text,label\na,pos\nb,1\n", 3, "label \"1\" is a class id but earlier labels are class names"),
        Arguments.of("text,label\na,\n", 2, "empty label"),
        Arguments.of("text,label\na,99999999999\n", 2, "too large for a class id"),
        Arguments.of("text,label\n  ,1\n", 2, "empty text"),
        Arguments.of("text,label\n\"\",1\n", 2, "empty text"),
        Arguments.of("text,label\ni liked it, a lot,1\n", 2, "row has 3 fields but the header has 2 (a comma in unquoted text? put the text in double quotes)"),
        Arguments.of("text,label\nonly text\n", 2, "row has 1 fields but the header has 2"),
        Arguments.of("text,label\nall fine,1\nit went boom,0\n", 3, "text cannot be tokenized: word \"boom\" is not in the vocabulary"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void badRowIsNamedInOneLine(String content, int line, String fragment) {
    Path file = Files2.write(dir, "bad.csv", content);
    DataException e = assertThrows(DataException.class, () -> CsvDataset.read(file, tok));
    JsonlErrorsTest.assertOneLine(e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void everyBadRowIsListed() {
    Path file = Files2.write(dir, "many.csv", "text,label\nok,1\n,1\nfine,\nx,y,z\nok,0\n");
    DataException e = assertThrows(DataException.class, () -> CsvDataset.read(file, tok));
    assertTrue(e.getMessage().startsWith(file + ":3: empty text"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(and 2 more problems)"), e.getMessage());
    assertEquals(List.of(file + ":3: empty text", file + ":4: empty label",
        file + ":5: row has 3 fields but the header has 2 (a comma in unquoted text? put the text in double quotes)"),
        e.problems());
  }

  @Test
  void emptyMissingHeaderOnlyBadEncodingAndNoTokenizer() throws IOException {
    Path empty = Files2.write(dir, "empty.csv", "\n\n");
    assertEquals(empty + ": no rows (the file is empty)",
        assertThrows(DataException.class, () -> CsvDataset.read(empty, tok)).getMessage());
    Path header = Files2.write(dir, "header.csv", "text,label\n");
    assertEquals(header + ": no rows after the header",
        assertThrows(DataException.class, () -> CsvDataset.read(header, tok)).getMessage());
    Path missing = dir.resolve("missing.csv");
    assertEquals(missing + ": no such file",
        assertThrows(DataException.class, () -> CsvDataset.read(missing, tok)).getMessage());
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, "text,label\nok,1\ncaf\u00e9,0\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(latin1 + ":3: not valid UTF-8 text",
        assertThrows(DataException.class, () -> CsvDataset.read(latin1, tok)).getMessage());
    Path ok = Files2.write(dir, "ok.csv", "text,label\nok,1\n");
    assertTrue(assertThrows(DataException.class, () -> CsvDataset.read(ok, null)).getMessage()
        .startsWith(ok + ":2: text needs a tokenizer"));
  }

  @Test
  void textDatasetsChoosesTheReaderByExtension() {
    Path csv = Files2.write(dir, "d.CSV", "text,label\nhello,1\n");
    Path jsonl = Files2.write(dir, "d.jsonl", "{\"text\":\"hello\",\"label\":1}\n");
    assertArrayEquals(TextDatasets.read(csv, tok).get(0).tokens(), TextDatasets.read(jsonl, tok).get(0).tokens());
    assertEquals(1, TextDatasets.read(csv, tok).get(0).label());
    for (String name : new String[] {"d.ndjson", "d.json"}) { // JSON lines under the names exporters give them
      Path lines = Files2.write(dir, name, "{\"text\":\"hello\",\"label\":1}\n");
      assertArrayEquals(TextDatasets.read(jsonl, tok).get(0).tokens(), TextDatasets.read(lines, tok).get(0).tokens());
    }
    Path txt = Files2.write(dir, "d.txt", "hello\n");
    assertEquals(txt + ": unknown data format (\".txt\"); use a .jsonl, .ndjson or .json (JSON lines) or .csv file",
        assertThrows(DataException.class, () -> TextDatasets.read(txt, tok)).getMessage());
    Path bare = Files2.write(dir, "data", "hello\n");
    assertTrue(assertThrows(DataException.class, () -> TextDatasets.read(bare, tok)).getMessage()
        .contains("(no extension)"));
  }

  @Test
  void recordsSplitPerRfc4180() {
    CsvRecords r = new CsvRecords("a,\"b\nc\",\"\"\"\"\r\n,\n\"x,y\"");
    CsvRecords.Row first = r.next();
    assertEquals(List.of("a", "b\nc", "\""), first.fields());
    assertEquals(1, first.line());
    CsvRecords.Row second = r.next();
    assertEquals(List.of("", ""), second.fields());
    assertEquals(3, second.line());
    assertEquals(List.of("x,y"), r.next().fields());
    assertNull(r.next());
    assertFalse(new CsvRecords("").next() != null);
  }
}
