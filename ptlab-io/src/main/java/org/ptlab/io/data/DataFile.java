package org.ptlab.io.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a user's data file for the readers. Only regular files are read: a FIFO or a device (the zero or random
 * device) would hang or fill the heap, and no reader could name a line in them. The size is capped before reading
 * (and while reading, in case the file grows), because parsed examples take several times the file's bytes.
 */
final class DataFile {
  /** Bytes a data file may have: 1 GiB, or an eighth of the heap if that is less (examples cost ~8× their text). */
  static long maxBytes() {
    return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
  }

  private DataFile() {}

  /**
   * Checks {@code file} without opening it (opening a FIFO blocks until a writer comes): a one-line
   * {@link DataException} naming it when it is missing, not a regular file or too big.
   */
  static void check(Path file) {
    String source = file.toString();
    try {
      if (!Files.exists(file)) throw new DataException(source + ": no such file");
      if (!Files.isRegularFile(file)) {
        throw new DataException(source + ": not a regular file (a folder, FIFO or device); give a "
            + TextDatasets.ACCEPTED + " file");
      }
      long size = Files.size(file);
      if (size > maxBytes()) throw tooBig(source, size, maxBytes());
    } catch (IOException e) {
      throw new DataException(source + ": cannot read: " + e.getMessage());
    }
  }

  /** The opened file, checked as {@link #check} does, that fails if it grows past the limit while read. */
  static InputStream open(Path file) {
    String source = file.toString();
    check(file);
    try {
      return new Capped(Files.newInputStream(file), source, maxBytes());
    } catch (NoSuchFileException e) {
      throw new DataException(source + ": no such file");
    } catch (IOException e) {
      throw new DataException(source + ": cannot read: " + e.getMessage());
    }
  }

  /** The whole file, checked as {@link #open} does. */
  static byte[] readAll(Path file) {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DataException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static DataException tooBig(String source, long size, long limit) {
    return new DataException(String.format(Locale.ROOT, "%s: %s is over the %d MB a data file may have "
        + "(an eighth of the heap, at most 1024 MB; set PTLAB_HEAP for more)", source,
        size < 0 ? "the file" : (size >> 20) + " MB", limit >> 20));
  }

  /** Fails once more than {@code limit} bytes were read: the file grew after its size was checked. */
  private static final class Capped extends FilterInputStream {
    private final String source;
    private final long limit;
    private long read;

    Capped(InputStream in, String source, long limit) {
      super(in);
      this.source = source;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) count(1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) count(n);
      return n;
    }

    private void count(long n) {
      read += n;
      if (read > limit) throw tooBig(source, -1, limit);
    }
  }
}
