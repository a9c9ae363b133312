package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Random files: whatever names, shapes and metadata go in come back out; and whatever damage a valid file takes
 * (flipped bytes, JSON-ish bytes written into the header, truncation, growth), reading it either works or fails
 * with a {@link SafetensorsException}, never with anything else.
 */
class SafetensorsProperties {
  static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("safetensors-props");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.delete(p);
    }
    Files.delete(dir);
  }

  // ASCII letters plus characters the header must escape or encode as multi-byte UTF-8; empty names are legal.
  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars("._-0Z\t\n\"\\\u0001\u00e9\u2603\uFFFD")
        .ofMinLength(0).ofMaxLength(10);
  }

  @Provide
  Arbitrary<Tensor> tensors() {
    Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 4).array(int[].class).ofMaxSize(3);
    Arbitrary<Boolean> f64 = Arbitraries.of(true, false);
    Arbitrary<Long> seeds = Arbitraries.longs();
    return Combinators.combine(shapes, f64, seeds).as((shape, isF64, seed) -> {
      int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      Random rng = new Random(seed);
      if (isF64) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Double.longBitsToDouble(rng.nextLong());   // any bits, NaNs included
        return Tensor.of(d, shape);
      }
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat(rng.nextInt());
      return Tensor.of(f, shape);
    });
  }

  @Provide
  Arbitrary<Map<String, Tensor>> tensorMaps() {
    return Arbitraries.maps(names(), tensors()).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Map<String, String>> metadataMaps() {
    return Arbitraries.maps(names(), names()).ofMaxSize(3);
  }

  @Property(tries = 100)
  void randomNamesShapesAndMetadataRoundTrip(@ForAll("tensorMaps") Map<String, Tensor> tensors,
      @ForAll("metadataMaps") Map<String, String> metadata) throws IOException {
    Path p = dir.resolve("roundtrip.safetensors");
    SafetensorsWriter.write(p, tensors, metadata);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(tensors.keySet(), f.names());
      assertEquals(metadata, f.metadata());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        Tensor want = e.getValue();
        Tensor got = f.tensor(e.getKey(), want.dtype(), want.shape());
        // NaN payloads are not promised, so compare NaN-canonical bits (which still tell -0 from 0).
        if (want.dtype() == DType.F64) assertArrayEquals(want.toDoubleArray(), got.toDoubleArray());
        else assertArrayEquals(want.toFloatArray(), got.toFloatArray());
      }
    }
  }

  private static byte[] validFile;

  /** The reference-made file with every decodable dtype: the richest starting point for damage. */
  static synchronized byte[] validFile() throws IOException {
    if (validFile == null) validFile = StFiles.resource("reference-dtypes.safetensors");
    return validFile;
  }

  @Property(tries = 500)
  void damagedFilesFailOnlyWithSafetensorsException(@ForAll long seed) throws IOException {
    byte[] bytes = damage(validFile(), new Random(seed));
    Path p = dir.resolve("damaged.safetensors");
    Files.write(p, bytes);
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      Statistics.collect("opened");
      for (String name : f.names()) {
        StoredDType.Kind kind = StoredDType.parse(f.entry(name).dtype()).kind;
        try {
          if (kind == StoredDType.Kind.FLOAT) {
            f.tensor(name, DType.F32);
            f.tensor(name, DType.F64);
          } else {
            f.longs(name);
          }
        } catch (SafetensorsException expected) {
          // refusing one tensor (a BOOL of 7, an F8 type) must not stop the others from loading
        }
      }
    } catch (SafetensorsException expected) {
      // the only way a damaged file may fail; the label shows the damage reaches past the first checks
      Statistics.collect(expected.getMessage().replaceAll(".*?safetensors: ", "").replaceAll("[ '(\\[].*", ""));
    }
  }

  private static final byte[] JSON_BYTES = "{}[]\":,-0123456789eE.  \\uFtrunl_".getBytes();

  static byte[] damage(byte[] valid, Random rng) {
    byte[] b = valid.clone();
    int headerEnd = (int) Math.min(b.length, 8 + (b[0] & 0xff) + ((b[1] & 0xff) << 8));
    switch (rng.nextInt(5)) {
      case 0 -> {   // flip random bits anywhere
        for (int k = 1 + rng.nextInt(4); k > 0; k--) b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
      }
      case 1 -> {   // JSON-ish bytes written into the header: exercises the parser's paths, not just its errors
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
          b[8 + rng.nextInt(headerEnd - 8)] = JSON_BYTES[rng.nextInt(JSON_BYTES.length)];
        }
      }
      case 2 -> b = Arrays.copyOf(b, rng.nextInt(b.length));   // truncated
      case 3 -> b = Arrays.copyOf(b, b.length + 1 + rng.nextInt(16));   // grown by zero bytes
      default -> {   // a digit of one number in the header changed: offsets and shapes that almost fit
        List<Integer> digits = new java.util.ArrayList<>();
        for (int i = 8; i < headerEnd; i++) if (b[i] >= '0' && b[i] <= '9') digits.add(i);
        b[digits.get(rng.nextInt(digits.size()))] = (byte) ('0' + rng.nextInt(10));
      }
    }
    return b;
  }
}
