package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/** Writer then reader: values come back bit for bit, bytes are reproducible, and failures leave nothing behind. */
class SafetensorsRoundTripTest {
  @TempDir Path dir;

  static final float[] FLOATS = {0f, -0f, 1f / 3, -2.5f, Float.MIN_VALUE, -Float.MIN_VALUE,
      Float.intBitsToFloat(0x007fffff), Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
  static final double[] DOUBLES = {0.0, -0.0, 1.0 / 3, -2.5, Double.MIN_VALUE, -Double.MIN_VALUE,
      Double.longBitsToDouble(0x000fffffffffffffL), Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

  Path roundTrip(Map<String, Tensor> tensors) throws IOException {
    Path p = dir.resolve("t.safetensors");
    SafetensorsWriter.write(p, tensors, Map.of("format", "pt"));
    return p;
  }

  @Test
  void f32BitIdentical() throws IOException {
    Path p = roundTrip(Map.of("x", Tensor.of(FLOATS.clone(), 3, 4)));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals("F32", f.entry("x").dtype());
      float[] back = f.tensor("x", DType.F32, 3, 4).toFloatArray();
      for (int i = 0; i < FLOATS.length; i++) {
        assertEquals(Float.floatToRawIntBits(FLOATS[i]), Float.floatToRawIntBits(back[i]), "element " + i);
      }
    }
  }

  @Test
  void f64BitIdentical() throws IOException {
    Path p = roundTrip(Map.of("x", Tensor.of(DOUBLES.clone(), 2, 2, 3)));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals("F64", f.entry("x").dtype());
      double[] back = f.tensor("x", DType.F64, 2, 2, 3).toDoubleArray();
      for (int i = 0; i < DOUBLES.length; i++) {
        assertEquals(Double.doubleToRawLongBits(DOUBLES[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
      }
    }
  }

  @Test
  void nanStaysNaN() throws IOException {
    Path p = roundTrip(Map.of("f", Tensor.of(new float[] {Float.NaN}, 1), "d", Tensor.of(new double[] {Double.NaN})));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertTrue(Float.isNaN(f.tensor("f", DType.F32).toFloatArray()[0]));
      assertTrue(Double.isNaN(f.tensor("d", DType.F64).item()));
    }
  }

  @Test
  void viewsWriteTheirOwnElements() throws IOException {
    Tensor base = Tensor.of(new float[] {9, 9, 1, 2, 3, 4, 9}, 7);
    Tensor view = Tensor.view(base, 2, 2, 2);   // offset 2: elements 1..4
    Tensor base64 = Tensor.of(new double[] {9, 5, 6, 9}, 4);
    Path p = roundTrip(Map.of("v", view, "w", Tensor.view(base64, 1, 2)));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertArrayEquals(new float[] {1, 2, 3, 4}, f.tensor("v", DType.F32, 2, 2).toFloatArray());
      assertArrayEquals(new double[] {5, 6}, f.tensor("w", DType.F64, 2).toDoubleArray());
      assertEquals(List.of("w", "v"), List.copyOf(f.names()));   // F64 first, as the reference lays out
    }
  }

  @Test
  void forcedStorageTypeAndReadConversions() throws IOException {
    Path p = dir.resolve("forced.safetensors");
    Map<String, Tensor> tensors = Map.of("d", Tensor.of(new double[] {0.1, 1e300}, 2), "f", Tensor.of(new float[] {0.1f}, 1));
    SafetensorsWriter.write(p, tensors, null, DType.F32);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals("F32", f.entry("d").dtype());
      assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, f.tensor("d", DType.F32).toFloatArray());
      assertEquals(Map.of(), f.metadata());
    }
    SafetensorsWriter.write(p, tensors, null, DType.F64);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals("F64", f.entry("f").dtype());
      assertEquals((double) 0.1f, f.tensor("f", DType.F64).item());       // F32 widened exactly
      assertEquals(0.1f, (float) f.tensor("d", DType.F32).getFlat(0));     // F64 read as F32 rounds to nearest
    }
  }

  @Test
  void largeTensorsCrossChunkBoundaries() throws IOException {
    int n = 300_001;   // over the writer's 2^17-element and the reader's 1 MiB chunks, and not a multiple of either
    float[] f = new float[n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = i * 0.5f - 7;
      d[i] = i * 0.25 - 3;
    }
    Path p = roundTrip(Map.of("f", Tensor.of(f, n), "d", Tensor.of(d, n)));
    try (SafetensorsFile file = SafetensorsFile.open(p)) {
      assertArrayEquals(f, file.tensor("f", DType.F32).toFloatArray());
      assertArrayEquals(d, file.tensor("d", DType.F64).toDoubleArray());
      float[] narrowed = new float[n];
      for (int i = 0; i < n; i++) narrowed[i] = (float) d[i];
      assertArrayEquals(narrowed, file.tensor("d", DType.F32).toFloatArray());
    }
  }

  @Test
  void sameInputSameBytesWhateverTheMapOrder() throws IOException {
    Map<String, Tensor> forward = new LinkedHashMap<>();
    Map<String, Tensor> backward = new LinkedHashMap<>();
    String[] names = {"b", "a", "c.weight", "c.bias", "Z"};
    for (int i = 0; i < names.length; i++) {
      forward.put(names[i], i % 2 == 0 ? Tensor.of(new float[] {i}, 1) : Tensor.of(new double[] {i}, 1));
    }
    for (int i = names.length - 1; i >= 0; i--) backward.put(names[i], forward.get(names[i]));
    Map<String, String> meta1 = new LinkedHashMap<>();
    meta1.put("x", "1");
    meta1.put("a", "line\nbreak \"quoted\" \u00e9");
    Map<String, String> meta2 = new LinkedHashMap<>();
    meta2.put("a", meta1.get("a"));
    meta2.put("x", "1");
    Path p1 = dir.resolve("1.safetensors");
    Path p2 = dir.resolve("2.safetensors");
    SafetensorsWriter.write(p1, forward, meta1);
    SafetensorsWriter.write(p2, backward, meta2);
    byte[] bytes = Files.readAllBytes(p1);
    assertArrayEquals(bytes, Files.readAllBytes(p2));
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to 8");
    try (SafetensorsFile f = SafetensorsFile.open(p1)) {
      assertEquals(meta1.get("a"), f.metadata().get("a"));
      assertEquals(List.of("a", "c.bias", "Z", "b", "c.weight"), List.copyOf(f.names()));   // F64s, then F32s
    }
  }

  @Test
  void overwritesAtomicallyAndLeavesNoTempFiles() throws IOException {
    Path p = roundTrip(Map.of("x", Tensor.of(new float[] {1}, 1)));
    roundTrip(Map.of("y", Tensor.of(new float[] {2, 3}, 2)));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(List.of("y"), List.copyOf(f.names()));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList());
    }
  }

  @Test
  void failedWriteLeavesOldFileAndNoTemp() throws IOException {
    Path p = roundTrip(Map.of("x", Tensor.of(new float[] {1}, 1)));
    byte[] before = Files.readAllBytes(p);
    StFiles.rejects(p, () -> SafetensorsWriter.write(p, Map.of("__metadata__", Tensor.of(new float[] {1}, 1)), null),
        "'__metadata__' is reserved");
    StFiles.rejects(p, () -> SafetensorsWriter.write(p, Map.of("bad\uD800", Tensor.of(new float[] {1}, 1)), null),
        "not valid Unicode");
    StFiles.rejects(p, () -> SafetensorsWriter.write(p, Map.of("x", Tensor.of(new float[] {1}, 1)),
        Map.of("k", "bad\uDC00")), "metadata", "not valid Unicode");
    assertArrayEquals(before, Files.readAllBytes(p));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList());
    }
    Path nowhere = dir.resolve("missing-dir").resolve("x.safetensors");
    assertThrows(NoSuchFileException.class, () -> SafetensorsWriter.write(nowhere, Map.of(), null));
  }
}
