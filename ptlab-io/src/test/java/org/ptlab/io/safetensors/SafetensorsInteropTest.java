package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Against files the reference implementation wrote (safetensors 0.8.0 via {@code make_reference_files.py} beside
 * the resources; the tests only read the recorded bytes, they do not need Python).
 */
class SafetensorsInteropTest {
  @TempDir Path dir;

  @Test
  void readsEveryDecodableDtypeTheReferenceWrote() throws IOException {
    Path p = StFiles.write(dir, "reference-dtypes.safetensors", StFiles.resource("reference-dtypes.safetensors"));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      // The reference's layout order: descending alignment (I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL),
      // then name; reported in that order.
      assertEquals(List.of("i64", "f64", "empty", "f32", "scalar", "i32", "bf16", "f16", "i16", "i8", "u8", "bool"),
          List.copyOf(f.names()));
      assertEquals(Map.of("format", "pt"), f.metadata());
      assertArrayEquals(new double[] {1.5, -0.0}, f.tensor("f64", DType.F64).toDoubleArray());
      assertArrayEquals(new float[] {1f, -2f, Float.MAX_VALUE, Float.MIN_VALUE},
          f.tensor("f32", DType.F32, 2, 2).toFloatArray());
      assertArrayEquals(new double[] {1, -2, 65504, 0x1p-24, Double.POSITIVE_INFINITY},
          f.tensor("f16", DType.F64).toDoubleArray());
      assertArrayEquals(new float[] {1, -2, Float.POSITIVE_INFINITY, 0x1p-133f},
          f.tensor("bf16", DType.F32).toFloatArray());
      assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, f.longs("i64"));
      assertArrayEquals(new long[] {-1, 0, Integer.MAX_VALUE}, f.longs("i32"));
      assertArrayEquals(new long[] {-32768, 7}, f.longs("i16"));
      assertArrayEquals(new long[] {-128, 127}, f.longs("i8"));
      assertArrayEquals(new long[] {0, 255}, f.longs("u8"));
      assertArrayEquals(new long[] {1, 0, 1}, f.longs("bool"));
      assertEquals(0.25, f.tensor("scalar", DType.F64).item());
      assertEquals(0, f.tensor("scalar", DType.F32).rank());
      Tensor empty = f.tensor("empty", DType.F32, 0, 3);
      assertEquals(0, empty.numel());
    }
  }

  @Test
  void writesTheBytesTheReferenceWrites() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("b", Tensor.of(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, 2, 3));
    tensors.put("a", Tensor.of(new float[] {7f}, 1));
    tensors.put("w", Tensor.of(new double[] {0.1, -1e300}, 2));
    tensors.put("z_", Tensor.of(new float[] {-0f}));
    tensors.put("tab\there \"q\" \u00e9\u2603", Tensor.of(new float[] {1f}, 1));
    tensors.put("\uD83D\uDE00", Tensor.of(new float[] {2f}, 1));   // U+1F600, sorts after U+FFFD in UTF-8
    tensors.put("\uFFFD", Tensor.of(new float[] {3f}, 1));
    tensors.put("ctl\u001f\u000b\u007f", Tensor.of(new float[] {4f}, 1));   // serde_json writes lower-case hex escapes
    Path p = dir.resolve("written.safetensors");
    SafetensorsWriter.write(p, tensors, Map.of("format", "pt"));
    assertArrayEquals(StFiles.resource("reference-written.safetensors"), Files.readAllBytes(p));
  }
}
