package org.ptlab.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file to a temporary name in the same folder, then renames it over the target, so a reader (or a run
 * killed mid-write) never sees a half-written file (DESIGN.md: nothing half-written).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      writeNamed(tmp, target, bytes);
      // createTempFile makes the file private (0600); a report or result is meant to be read like any output
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException notPosix) {
        // non-POSIX file systems keep their defaults
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A write error (a full disk says only "No space left on device") names the file it was writing. */
  private static void writeNamed(Path tmp, Path target, byte[] bytes) throws IOException {
    try {
      Files.write(tmp, bytes);
    } catch (java.nio.file.FileSystemException e) {
      throw e; // names its file already
    } catch (IOException e) {
      throw new java.nio.file.FileSystemException(target.toString(), null, e.getMessage());
    }
  }

  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
