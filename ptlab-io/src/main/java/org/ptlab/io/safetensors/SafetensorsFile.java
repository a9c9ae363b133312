package org.ptlab.io.safetensors;

import static org.ptlab.io.safetensors.SafetensorsException.quote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * A safetensors file opened for reading: the header is read and checked in full by {@link #open}, the tensor data
 * stays on disk until a tensor is asked for. Format: an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON, then the data region (little-endian, row-major) that the header's {@code data_offsets} index.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("adapter_model.safetensors"))) {
 *   Tensor prompt = f.tensor("prompt_embeddings", DType.F32, numVirtualTokens, dModel);
 * }
 * }</pre>
 *
 * <p>Strict: every defect of the header fails {@code open} with a one-line {@link SafetensorsException} naming
 * the file: the JSON's grammar, duplicate keys, unknown fields or dtypes, offsets that run backwards, leave the data
 * region, overlap or leave holes, and byte lengths that do not match shape × dtype. No size read from the file is
 * allocated before it has been checked against the file's length. Reads from several threads are safe (positional
 * reads); the file stays open until {@link #close}.
 */
public final class SafetensorsFile implements AutoCloseable {
  private static final int LENGTH_PREFIX = 8;
  /** The reference reader's cap: larger headers are refused there, so they are refused here too. */
  private static final long MAX_HEADER_BYTES = 100_000_000L;
  /** Read granularity; a multiple of every element size, so no element straddles two chunks. */
  private static final int CHUNK_BYTES = 1 << 20;

  /**
   * One tensor as the header describes it. {@code begin}/{@code end} are byte offsets into the data region (add
   * {@link #dataStart()} for file offsets); {@code dtype} is the format's spelling ("F32", "BF16", "I64", ...).
   */
  public record Entry(String name, String dtype, int[] shape, long begin, long end) {
    public Entry {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    public long byteLength() {
      return end - begin;
    }

    public long numel() {
      long n = 1;
      for (int d : shape) n *= d;   // checked against the file size by open(), so it cannot overflow
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && name.equals(e.name) && dtype.equals(e.dtype) && Arrays.equals(shape, e.shape)
          && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + "]";
    }
  }

  private final String label;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;   // in data order
  private final Map<String, String> metadata;

  private SafetensorsFile(String label, FileChannel channel, long dataStart, List<Entry> entries,
      Map<String, String> metadata) {
    this.label = label;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = new LinkedHashMap<>();
    for (Entry e : entries) this.entries.put(e.name(), e);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Opens {@code path} and checks its whole header; the caller closes the result. */
  public static SafetensorsFile open(Path path) throws IOException {
    String label = path.toString();
    if (Files.isDirectory(path)) throw new SafetensorsException(label + ": is a directory, not a safetensors file");
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new SafetensorsException(label + ": no such file");
    }
    try {
      return readHeader(label, channel);
    } catch (IOException | RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  private static SafetensorsFile readHeader(String label, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < LENGTH_PREFIX) {
      throw new SafetensorsException(label + ": file has " + size + " bytes, too short for the 8-byte header length");
    }
    long headerLength = readFully(label, channel, 0, LENGTH_PREFIX).getLong();
    // Unsigned in the format: a negative long is a length of 2^63 or more.
    if (headerLength < 0 || headerLength > size - LENGTH_PREFIX) {
      throw new SafetensorsException(label + ": header length " + Long.toUnsignedString(headerLength)
          + " exceeds the " + (size - LENGTH_PREFIX) + " bytes that follow it");
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new SafetensorsException(label + ": header length " + headerLength + " exceeds the format's limit of "
          + MAX_HEADER_BYTES + " bytes");
    }
    byte[] header = new byte[(int) headerLength];
    fill(label, channel, LENGTH_PREFIX, ByteBuffer.wrap(header));
    HeaderParser.Parsed parsed = HeaderParser.parse(label, header);
    long dataStart = LENGTH_PREFIX + headerLength;
    List<Entry> entries = HeaderChecks.check(label, parsed.entries(), size - dataStart);
    return new SafetensorsFile(label, channel, dataStart, entries, parsed.metadata());
  }

  /** Tensor names in data order (ascending offset), which is the order the reference writer lays them out. */
  public Set<String> names() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The header entry of {@code name}; fails, listing some names the file has, when there is none. */
  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      String some = entries.keySet().stream().limit(5).map(SafetensorsException::quote)
          .collect(Collectors.joining(", "));
      String has = entries.isEmpty() ? "it holds no tensors"
          : "it has " + some + (entries.size() > 5 ? ", ... (" + entries.size() + " in all)" : "");
      throw new SafetensorsException(label + ": no tensor " + quote(name) + "; " + has);
    }
    return e;
  }

  /** The header's "__metadata__" strings in file order; empty when there are none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** File offset of the data region (8 + header length). */
  public long dataStart() {
    return dataStart;
  }

  /**
   * Reads a float tensor (F64, F32, F16 or BF16) as {@code target}. Widening is exact; F64 to F32 rounds to
   * nearest.
   */
  public Tensor tensor(String name, DType target) throws IOException {
    Entry e = entry(name);
    StoredDType src = StoredDType.parse(e.dtype());
    if (src.kind != StoredDType.Kind.FLOAT) {
      throw new SafetensorsException(label + ": tensor " + quote(name) + " is " + src
          + (src.kind == StoredDType.Kind.UNSUPPORTED ? ", which PTLab cannot decode"
          : ", not a float type; read it with longs()"));
    }
    int n = arrayLength(e);
    if (Objects.requireNonNull(target, "target") == DType.F32) {
      float[] out = new float[n];
      readChunks(e, src, (b, at, count) -> ElementDecoder.toFloats(src, b, out, at, count));
      return Tensor.of(out, e.shape());
    }
    double[] out = new double[n];
    readChunks(e, src, (b, at, count) -> ElementDecoder.toDoubles(src, b, out, at, count));
    return Tensor.of(out, e.shape());
  }

  /** {@link #tensor(String, DType)}, first checking that the file's shape is the one the model expects. */
  public Tensor tensor(String name, DType target, int... expectedShape) throws IOException {
    Entry e = entry(name);
    if (!Arrays.equals(e.shape, expectedShape)) {
      throw new SafetensorsException(label + ": tensor " + quote(name) + " has shape " + Arrays.toString(e.shape)
          + ", the model expects " + Arrays.toString(expectedShape));
    }
    return tensor(name, target);
  }

  /** Reads an integer tensor (I8..I64, U8..U64) or a BOOL one (as 0/1), flattened in row-major order. */
  public long[] longs(String name) throws IOException {
    Entry e = entry(name);
    StoredDType src = StoredDType.parse(e.dtype());
    StoredDType.Kind kind = src.kind;
    if (kind != StoredDType.Kind.SIGNED && kind != StoredDType.Kind.UNSIGNED && kind != StoredDType.Kind.BOOL) {
      throw new SafetensorsException(label + ": tensor " + quote(name) + " is " + src
          + ", not an integer or bool type" + (kind == StoredDType.Kind.FLOAT ? "; read it with tensor()" : ""));
    }
    long[] out = new long[arrayLength(e)];
    readChunks(e, src, (b, at, count) -> {
      int bad = ElementDecoder.toLongs(src, b, out, at, count);
      if (bad >= 0) {
        throw new SafetensorsException(label + ": tensor " + quote(name) + " element " + (at + bad) + " is "
            + (src == StoredDType.BOOL ? "not 0 or 1" : "2^63 or more, beyond a long"));
      }
    });
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private int arrayLength(Entry e) {
    if (e.numel() > Integer.MAX_VALUE) {
      throw new SafetensorsException(label + ": tensor " + quote(e.name()) + " has " + e.numel()
          + " elements, more than a Java array holds");
    }
    return (int) e.numel();
  }

  private interface ChunkSink {
    void accept(ByteBuffer chunk, int firstElement, int count);
  }

  private void readChunks(Entry e, StoredDType src, ChunkSink sink) throws IOException {
    long remaining = e.byteLength();
    long position = dataStart + e.begin();
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, remaining)).order(ByteOrder.LITTLE_ENDIAN);
    int element = 0;
    while (remaining > 0) {
      buf.clear().limit((int) Math.min(buf.capacity(), remaining));
      fill(label, channel, position, buf);
      buf.flip();
      int count = buf.remaining() / src.bytes();
      sink.accept(buf, element, count);
      element += count;
      position += buf.limit();
      remaining -= buf.limit();
    }
  }

  private static ByteBuffer readFully(String label, FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    fill(label, channel, position, buf);
    return buf.flip();
  }

  private static void fill(String label, FileChannel channel, long position, ByteBuffer buf) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at);
      // Sizes were checked against the file's length at open: a short read means the file shrank since then.
      if (n < 0) throw new SafetensorsException(label + ": file ends at byte " + at + " (truncated since it was opened?)");
      at += n;
    }
  }
}
