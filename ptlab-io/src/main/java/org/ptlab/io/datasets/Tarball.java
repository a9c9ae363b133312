package org.ptlab.io.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads chosen files out of a {@code .tgz} (gzip + POSIX ustar, as {@code npm pack} writes it), in Java so that
 * fetching needs no {@code tar} binary and never writes a file before it has been read whole. Only regular files
 * are returned; directories, links and pax headers are skipped.
 */
final class Tarball {
  private static final int BLOCK = 512;
  /** The sentiment files are ~100 KB; anything this large is not the expected package. */
  private static final long MAX_FILE = 64L << 20;

  private Tarball() {}

  /**
   * The contents of the entries named in {@code wanted} (paths as stored, e.g. {@code package/test/x.json}); a
   * name missing from the archive is missing from the map.
   *
   * @throws IOException if the archive is not gzip, or a header or entry is cut short
   */
  static Map<String, byte[]> read(Path tgz, Set<String> wanted) throws IOException {
    Map<String, byte[]> found = new HashMap<>();
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[BLOCK];
      while (readBlock(in, header)) {
        if (isZero(header)) break; // end-of-archive marker
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) name = prefix + "/" + name;
        long size = octal(header, 124, 12, name);
        char type = (char) header[156];
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if ((type == '0' || type == 0) && wanted.contains(name)) {
          if (size > MAX_FILE) throw new IOException(tgz + ": entry " + name + " is " + size + " bytes, too large");
          byte[] data = in.readNBytes((int) size);
          if (data.length != size) throw new EOFException(tgz + ": entry " + name + " is cut short");
          skip(in, padded - size, tgz);
          found.put(name, data);
        } else {
          skip(in, padded, tgz);
        }
      }
    }
    return found;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) return false;
    if (n < BLOCK) throw new EOFException("tar header cut short");
    return true;
  }

  private static void skip(InputStream in, long count, Path tgz) throws IOException {
    long left = count;
    while (left > 0) {
      long n = in.skip(left);
      if (n <= 0) {
        if (in.read() < 0) throw new EOFException(tgz + ": archive cut short");
        n = 1;
      }
      left -= n;
    }
  }

  private static String field(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) end++;
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int offset, int length, String name) throws IOException {
    String s = field(h, offset, length).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("tar entry " + name + " has a bad size field \"" + s + "\"");
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) if (b != 0) return false;
    return true;
  }
}
