package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.StFiles.file;
import static org.ptlab.io.safetensors.StFiles.rejects;
import static org.ptlab.io.safetensors.StFiles.rejectsOpen;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptlab.tensor.DType;

/** Every defect the reader refuses, each with a one-line message naming the file and the fault. */
class SafetensorsRejectionTest {
  @TempDir Path dir;

  /** A file whose header is {@code json} (unpadded) followed by {@code dataBytes} zero bytes. */
  Path withHeader(String json, int dataBytes) throws IOException {
    return StFiles.write(dir, "bad.safetensors", file(json, new byte[dataBytes]));
  }

  static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  @Test
  void fileShorterThanLengthPrefix() throws IOException {
    rejectsOpen(StFiles.write(dir, "empty.safetensors", new byte[0]), "0 bytes", "too short");
    rejectsOpen(StFiles.write(dir, "seven.safetensors", new byte[7]), "7 bytes", "too short");
  }

  @Test
  void headerLengthBeyondFile() throws IOException {
    byte[] bytes = ByteBuffer.allocate(50).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array();
    rejectsOpen(StFiles.write(dir, "a.safetensors", bytes), "header length 100", "42 bytes");
    bytes = ByteBuffer.allocate(50).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();   // 2^64 - 1 unsigned
    rejectsOpen(StFiles.write(dir, "b.safetensors", bytes), "header length 18446744073709551615");
  }

  @Test
  void headerBeyondReferenceLimit() throws IOException {
    Path p = dir.resolve("sparse.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(150_000_100L);   // sparse: costs no disk, and the header is refused before it is read
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(150_000_000L).array());
    }
    rejectsOpen(p, "header length 150000000", "limit of 100000000");
  }

  @Test
  void claimOfTerabyteInTinyFileIsRefusedBeforeAllocating() throws IOException {
    // 2^38 F32 elements = 2^40 bytes, in a 100-byte file.
    String json = "{" + entry("huge", "F32", "[262144,1048576]", 0, 1L << 40) + "}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    Path p = withHeader(json, 100 - 8 - header.length);
    rejectsOpen(p, "'huge'", "data_offsets [0, 1099511627776]", "reaches past the data region");
    // The same claim made by the header length itself.
    byte[] bytes = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
    rejectsOpen(StFiles.write(dir, "len.safetensors", bytes), "header length 1099511627776", "92 bytes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "truncated JSON        | {\"a\":                                        | malformed header JSON",
      "not JSON              | hello                                          | malformed header JSON",
      "array                 | [1,2]                                          | header is an array, expected a JSON object",
      "string                | \"x\"                                          | header is a string",
      "only spaces           | `        `                                     | header holds no JSON",
      "trailing garbage      | {} x                                           | malformed header JSON",
      "second object         | {}{}                                           | content after the header's JSON object",
      "duplicate tensor      | {\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"a\":{} | Duplicate field 'a'",
      "entry not an object   | {\"a\":3}                                      | tensor 'a' is an integer, expected an object",
      "missing dtype         | {\"a\":{\"shape\":[],\"data_offsets\":[0,0]}}  | tensor 'a' has no dtype",
      "missing shape         | {\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}} | tensor 'a' has no shape",
      "missing offsets       | {\"a\":{\"dtype\":\"F32\",\"shape\":[0]}}      | tensor 'a' has no data_offsets",
      "dtype not a string    | {\"a\":{\"dtype\":5}}                          | dtype is an integer, expected a string",
      "unknown dtype         | {\"a\":{\"dtype\":\"F33\"}}                    | unknown dtype 'F33'",
      "lower-case dtype      | {\"a\":{\"dtype\":\"f32\"}}                    | unknown dtype 'f32'",
      "shape not an array    | {\"a\":{\"shape\":\"2x2\"}}                    | shape is a string, expected an array",
      "fractional dim        | {\"a\":{\"shape\":[1.5]}}                      | shape holds a non-integer number",
      "negative dim          | {\"a\":{\"shape\":[2,-1]}}                     | shape holds a negative number (-1)",
      "huge dim              | {\"a\":{\"shape\":[99999999999999999999]}}     | beyond any file size",
      "one offset            | {\"a\":{\"data_offsets\":[0]}}                 | data_offsets holds 1 of 2 numbers",
      "three offsets         | {\"a\":{\"data_offsets\":[0,1,2]}}             | data_offsets has more than 2 numbers",
      "unknown field         | {\"a\":{\"dtype\":\"F32\",\"offsets\":[0,0]}}  | unknown field 'offsets'",
      "duplicate field       | {\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\"}}  | Duplicate field 'dtype'",
      "metadata not object   | {\"__metadata__\":[]}                          | __metadata__ is an array",
      "metadata not string   | {\"__metadata__\":{\"v\":1}}                   | value of 'v' is an integer, expected a string",
      "duplicate metadata    | {\"__metadata__\":{\"v\":\"1\",\"v\":\"2\"}}   | Duplicate field 'v'",
  })
  void malformedHeader(String why, String json, String fragment) throws IOException {
    rejectsOpen(withHeader(json, 0), fragment);
  }

  @Test
  void invalidUtf8InHeader() throws IOException {
    byte[] json = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};   // overlong encoding of '/'
    byte[] bytes = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json)
        .array();
    rejectsOpen(StFiles.write(dir, "utf8.safetensors", bytes), "not valid UTF-8", "header byte 2");
  }

  @Test
  void tooManyDimensions() throws IOException {
    String shape = "[" + "1,".repeat(64) + "1]";
    rejectsOpen(withHeader("{" + entry("a", "F32", shape, 0, 4) + "}", 4), "shape has more than 64 numbers");
  }

  @Test
  void dimensionBeyondInt() throws IOException {
    rejectsOpen(withHeader("{" + entry("a", "F32", "[3000000000,0]", 0, 0) + "}", 0), "dimension 3000000000");
  }

  @Test
  void offsetsBackwards() throws IOException {
    rejectsOpen(withHeader("{" + entry("a", "F32", "[1]", 8, 4) + "}", 8), "'a'", "[8, 4]", "begin > end");
  }

  @Test
  void offsetsPastData() throws IOException {
    rejectsOpen(withHeader("{" + entry("a", "F32", "[2]", 0, 8) + "}", 4), "'a'", "past the data region of 4");
  }

  @Test
  void sizeMismatch() throws IOException {
    rejectsOpen(withHeader("{" + entry("a", "F32", "[2,3]", 0, 20) + "}", 20),
        "'a'", "[2, 3] of F32 takes 24 bytes", "span 20");
  }

  @Test
  void sizeOverflow() throws IOException {
    String shape = "[2147483647,2147483647,2147483647]";
    rejectsOpen(withHeader("{" + entry("a", "F64", shape, 0, 8) + "}", 8), "'a'", "larger than 2^63 bits");
  }

  @Test
  void overlappingTensors() throws IOException {
    String json = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
    rejectsOpen(withHeader(json, 12), "'a' [0, 8] and 'b' [4, 12] overlap");
    // Also when the later tensor is empty but starts inside the earlier one.
    json = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[0]", 4, 4) + "}";
    rejectsOpen(withHeader(json, 8), "overlap");
  }

  @Test
  void holesInData() throws IOException {
    String json = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}";
    rejectsOpen(withHeader(json, 12), "data bytes [4, 8) before tensor 'b' belong to no tensor");
    rejectsOpen(withHeader("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8), "[0, 4)");
    rejectsOpen(withHeader("{" + entry("a", "F32", "[1]", 0, 4) + "}", 6), "data bytes [4, 6) at the end");
  }

  @Test
  void missingFileAndDirectory() throws IOException {
    rejectsOpen(dir.resolve("nope.safetensors"), "no such file");
    rejectsOpen(dir, "is a directory");
  }

  @Test
  void requestsTheFileCannotServe() throws IOException {
    String json = "{" + entry("f", "F32", "[2,2]", 0, 16) + "," + entry("i", "I64", "[1]", 16, 24) + ","
        + entry("q", "F8_E4M3", "[4]", 24, 28) + "," + entry("b", "BOOL", "[1]", 28, 29) + ","
        + entry("u", "U64", "[1]", 29, 37) + "}";
    byte[] data = new byte[37];
    data[28] = 2;                                           // a BOOL that is neither 0 nor 1
    for (int i = 29; i < 37; i++) data[i] = (byte) 0xff;    // U64 2^64 - 1
    Path p = StFiles.write(dir, "ok.safetensors", file(json, data));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      rejects(p, () -> f.entry("x"), "no tensor 'x'", "'f', 'i', 'q', 'b', 'u'");
      rejects(p, () -> f.tensor("f", DType.F32, 4, 4), "'f' has shape [2, 2], the model expects [4, 4]");
      rejects(p, () -> f.tensor("f", DType.F32, 4), "expects [4]");
      rejects(p, () -> f.tensor("i", DType.F32), "'i' is I64, not a float type; read it with longs()");
      rejects(p, () -> f.tensor("q", DType.F32), "'q' is F8_E4M3, which PTLab cannot decode");
      rejects(p, () -> f.longs("f"), "'f' is F32, not an integer or bool type; read it with tensor()");
      rejects(p, () -> f.longs("b"), "'b' element 0 is not 0 or 1");
      rejects(p, () -> f.longs("u"), "'u' element 0 is 2^63 or more");
    }
  }

  @Test
  void missingNameListsAFewAndCounts() throws IOException {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 8; i++) json.append(i > 0 ? "," : "").append(entry("t" + i, "F32", "[0]", 0, 0));
    Path p = withHeader(json.append("}").toString(), 0);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      rejects(p, () -> f.tensor("w", DType.F64), "no tensor 'w'", "'t0', 't1', 't2', 't3', 't4', ... (8 in all)");
    }
  }

  @Test
  void nameWithNewlineStaysOnOneLine() throws IOException {
    Path p = withHeader("{\"a\\nb\":{\"dtype\":\"X\"}}", 0);
    rejectsOpen(p, "tensor 'a\\nb' has unknown dtype 'X'");
  }

  @Test
  void truncatedAfterOpen() throws IOException {
    Path p = withHeader("{" + entry("a", "F32", "[4]", 0, 16) + "}", 16);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
        raf.setLength(Files.size(p) - 8);
      }
      rejects(p, () -> f.tensor("a", DType.F32), "file ends at byte", "truncated since it was opened");
    }
  }
}
