package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Builds safetensors bytes by hand and checks rejections, for the tests of this package. */
final class StFiles {
  private StFiles() {}

  /** 8-byte little-endian length, the header as given (no padding added), then {@code data}. */
  static byte[] file(String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).put(data).array();
  }

  static byte[] floatsLE(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) b.putFloat(v);
    return b.array();
  }

  static byte[] doublesLE(double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) b.putDouble(v);
    return b.array();
  }

  /** Little-endian 16-bit values (F16/BF16 bit patterns, I16). */
  static byte[] shortsLE(int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) b.putShort((short) v);
    return b.array();
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = StFiles.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing test resource " + name);
      return in.readAllBytes();
    }
  }

  /** Opening {@code file} fails with one line naming the file and containing every fragment. */
  static SafetensorsException rejectsOpen(Path file, String... fragments) {
    return rejects(file, () -> SafetensorsFile.open(file).close(), fragments);
  }

  /** {@code action} fails with one line naming {@code file} and containing every fragment. */
  static SafetensorsException rejects(Path file, Executable action, String... fragments) {
    SafetensorsException e = assertThrows(SafetensorsException.class, action);
    String m = e.getMessage();
    assertOneLine(m);
    assertTrue(m.startsWith(file.toString() + ": "), () -> "message does not name the file first: " + m);
    for (String f : fragments) assertTrue(m.contains(f), () -> "message lacks '" + f + "': " + m);
    return e;
  }

  static void assertOneLine(String message) {
    assertFalse(message.contains("\n") || message.contains("\r"), () -> "message spans lines: " + message);
  }
}
