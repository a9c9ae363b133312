package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.io.safetensors.StFiles.doublesLE;
import static org.ptlab.io.safetensors.StFiles.file;
import static org.ptlab.io.safetensors.StFiles.floatsLE;
import static org.ptlab.io.safetensors.StFiles.shortsLE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/** Files built byte by byte from the format's description: the reader decodes them, the writer reproduces them. */
class SafetensorsGoldenTest {
  @TempDir Path dir;

  /** The reference pads the header JSON with spaces to a multiple of 8. */
  static String padded(String json) {
    return json + " ".repeat((8 - json.length() % 8) % 8);
  }

  static byte[] concat(byte[]... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p);
    return out.toByteArray();
  }

  // F64 first (the reference orders by descending alignment, then by name), compact JSON, metadata first.
  static final String HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
      + "\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
      + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
      + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[32,36]}}";

  static byte[] golden() throws IOException {
    return file(padded(HEADER), concat(doublesLE(0.5, -3.25), floatsLE(1f, -2f, 0.5f, Float.MIN_VALUE),
        floatsLE(-0f)));
  }

  @Test
  void readsHandBuiltFile() throws IOException {
    Path p = StFiles.write(dir, "golden.safetensors", golden());
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(List.of("w", "a", "s"), List.copyOf(f.names()));
      assertEquals(Map.of("format", "pt"), f.metadata());
      assertEquals(new SafetensorsFile.Entry("a", "F32", new int[] {2, 2}, 16, 32), f.entry("a"));
      assertEquals(8 + padded(HEADER).length(), f.dataStart());
      assertArrayEquals(new double[] {0.5, -3.25}, f.tensor("w", DType.F64).toDoubleArray());
      Tensor a = f.tensor("a", DType.F32, 2, 2);
      assertArrayEquals(new int[] {2, 2}, a.shape());
      assertArrayEquals(new float[] {1f, -2f, 0.5f, Float.MIN_VALUE}, a.toFloatArray());
      Tensor s = f.tensor("s", DType.F64);
      assertEquals(0, s.rank());
      assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(s.item()));
    }
  }

  @Test
  void writerReproducesHandBuiltFile() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("s", Tensor.of(new float[] {-0f}));
    tensors.put("a", Tensor.of(new float[] {1f, -2f, 0.5f, Float.MIN_VALUE}, 2, 2));
    tensors.put("w", Tensor.of(new double[] {0.5, -3.25}, 2));
    Path p = dir.resolve("written.safetensors");
    SafetensorsWriter.write(p, tensors, Map.of("format", "pt"));
    assertArrayEquals(golden(), Files.readAllBytes(p));
  }

  @Test
  void decodesF16KnownValues() throws IOException {
    String header = padded("{\"h\":{\"dtype\":\"F16\",\"shape\":[10],\"data_offsets\":[0,20]}}");
    // 1, -2, 65504 (max), 2^-24 (min subnormal), +inf, -inf, -0, 2^-14 - 2^-24 (max subnormal), 2^-14, NaN
    byte[] data = shortsLE(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0xFC00, 0x8000, 0x03FF, 0x0400, 0x7E00);
    Path p = StFiles.write(dir, "f16.safetensors", file(header, data));
    double[] want = {1, -2, 65504, 0x1p-24, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0x1p-14 - 0x1p-24, 0x1p-14, Double.NaN};
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertArrayEquals(want, f.tensor("h", DType.F64).toDoubleArray());   // assertArrayEquals tells -0.0 from 0.0
      float[] asFloat = new float[want.length];
      for (int i = 0; i < want.length; i++) asFloat[i] = (float) want[i];
      assertArrayEquals(asFloat, f.tensor("h", DType.F32).toFloatArray());
    }
  }

  @Test
  void decodesBf16KnownValues() throws IOException {
    String header = padded("{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,12]}}");
    // 1, -2, largest finite, 2^-133 (min subnormal), +inf, -inf
    byte[] data = shortsLE(0x3F80, 0xC000, 0x7F7F, 0x0001, 0x7F80, 0xFF80);
    Path p = StFiles.write(dir, "bf16.safetensors", file(header, data));
    double[] want = {1, -2, 0x1.FEp127, 0x1p-133, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      Tensor t = f.tensor("b", DType.F64, 2, 3);
      assertArrayEquals(want, t.toDoubleArray());
      assertArrayEquals(t.toFloatArray(), f.tensor("b", DType.F32).toFloatArray());
    }
  }

  @Test
  void acceptsWhatTheReferenceAccepts() throws IOException {
    // Leading and trailing JSON whitespace other than the padding spaces, null metadata, entries listed out of data
    // order (older writers ordered by name), and empty tensors sharing an offset with the next one.
    String json = " {\"__metadata__\":null,"
        + "\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"e\":{\"dtype\":\"I8\",\"shape\":[0,5],\"data_offsets\":[4,4]},"
        + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}\n\t";
    Path p = StFiles.write(dir, "lenient.safetensors", file(json, concat(floatsLE(4f), new byte[] {1, (byte) 200})));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(List.of("a", "z", "e", "b"), List.copyOf(f.names()));
      assertEquals(Map.of(), f.metadata());
      assertEquals(4f, (float) f.tensor("z", DType.F32).item());
      assertArrayEquals(new long[] {1, 200}, f.longs("b"));
      assertArrayEquals(new long[0], f.longs("e"));
    }
  }

  @Test
  void headerPaddingAndEmptyFile() throws IOException {
    // No tensors at all is a valid file: "{}" padded to 8.
    Path p = dir.resolve("empty.safetensors");
    SafetensorsWriter.write(p, Map.of(), null);
    assertArrayEquals(file("{}      ", new byte[0]), Files.readAllBytes(p));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(0, f.names().size());
      assertEquals(Map.of(), f.metadata());
    }
  }
}
