package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.SafetensorsException.quote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Writes tensors as a safetensors file, byte for byte as the reference implementation would (checked against
 * it in {@code SafetensorsInteropTest}): tensors ordered by dtype alignment (F64 before F32) then by name,
 * compact JSON, header padded with spaces to a multiple of 8 so the data region starts aligned.
 *
 * <pre>{@code
 * SafetensorsWriter.write(Path.of("adapter_model.safetensors"),
 *     Map.of("prompt_embeddings", prompt), Map.of("format", "pt"));
 * }</pre>
 *
 * <p>Same input, same bytes. The file appears whole or not at all: it is written to a temporary name in the same
 * folder, forced to disk, then renamed over the target.
 */
public final class SafetensorsWriter {
  private static final int CHUNK_ELEMENTS = 1 << 17;

  private SafetensorsWriter() {}

  /** Writes each tensor in its own dtype (F32 or F64). {@code metadata} may be empty or null (then omitted). */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    write(file, tensors, metadata, null);
  }

  /**
   * Writes every tensor as {@code storeAs} (F64 to F32 rounds to nearest), or each in its own dtype when
   * {@code storeAs} is null.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, DType storeAs)
      throws IOException {
    List<HeaderJson.Item> items = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : Objects.requireNonNull(tensors, "tensors").entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "tensor name");
      Tensor t = e.getValue();
      if (t == null) throw new SafetensorsException(file + ": tensor " + quote(name) + " is null");
      DType as = storeAs != null ? storeAs : t.dtype();
      items.add(new HeaderJson.Item(name, as == DType.F64 ? StoredDType.F64 : StoredDType.F32, t));
    }
    items = HeaderJson.fileOrder(file.toString(), items);
    byte[] header = HeaderJson.build(file.toString(), items, metadata == null ? Map.of() : metadata);

    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        writeAll(out, prefix.flip());
        writeAll(out, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(8 * CHUNK_ELEMENTS).order(ByteOrder.LITTLE_ENDIAN);
        for (HeaderJson.Item item : items) writeData(out, item, chunk);
        out.force(true);   // the rename must not become durable before the bytes it names
      } catch (java.nio.channels.ClosedByInterruptException e) {
        throw e;
      } catch (IOException e) { // a full disk says only "No space left on device": name the file
        throw e instanceof java.nio.file.FileSystemException ? e
            : new java.nio.file.FileSystemException(file.toString(), null, e.getMessage());
      }
      try {
        // A temp file is private (0600); a model file is meant to be shared like any output.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException notPosix) {
        // non-POSIX file systems keep their defaults
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeData(FileChannel out, HeaderJson.Item item, ByteBuffer chunk) throws IOException {
    Tensor t = item.tensor();
    int n = t.numel();
    int bytes = item.dtype().bytes();
    for (int from = 0; from < n; from += CHUNK_ELEMENTS) {
      int count = Math.min(CHUNK_ELEMENTS, n - from);
      chunk.clear();
      int base = t.offset() + from;   // views share storage: element 0 sits at offset()
      if (item.dtype() == StoredDType.F32) {
        if (t.dtype() == DType.F32) chunk.asFloatBuffer().put(t.f32(), base, count);
        else for (int i = 0; i < count; i++) chunk.putFloat(4 * i, (float) t.f64()[base + i]);
      } else {
        if (t.dtype() == DType.F64) chunk.asDoubleBuffer().put(t.f64(), base, count);
        else for (int i = 0; i < count; i++) chunk.putDouble(8 * i, t.f32()[base + i]);
      }
      writeAll(out, chunk.limit(count * bytes));
    }
  }

  private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) out.write(buf);
  }
}
