package org.ptlab.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run folder (tune's --out, reproduce's --out) that one process at a time writes, and through which PTLab reaches
 * only what it made itself.
 *
 * <p>One writer: {@link #lock} takes an OS lock ({@link FileChannel#tryLock}) on {@value #LOCK} inside the folder
 * and records the holder's pid there. The operating system drops the lock when the process ends in any way, kill -9
 * included, so a stale lock file is harmless: the next run locks it again. The file is never deleted, because
 * deleting a lock file races with a process that has just opened it.
 *
 * <p>No links: a symbolic link inside the folder (OUT/checkpoints → elsewhere) would make PTLab write, delete or read
 * files it did not make, so {@link #refuseLinks} refuses any, naming the path.
 */
public final class RunFolder implements AutoCloseable {
  public static final String LOCK = ".ptlab.lock";
  /** What PTLab writes as a folder entry: its own names only (step-000000120, adapter_config.json, …). */
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

  private final FileChannel channel;
  private final FileLock lock;

  private RunFolder(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates {@code dir} if needed and locks it for this process, or throws "DIR is in use by process N" (an
   * {@link IllegalArgumentException}: bad input, exit 2) when another process (or another run in this JVM) holds it.
   */
  public static RunFolder lock(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch = open(dir, true);
    FileLock l = tryLock(ch);
    if (l == null) {
      String holder = holder(ch);
      ch.close();
      throw inUse(dir, holder);
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    ch.force(false);
    return new RunFolder(ch, l);
  }

  /**
   * Throws as {@link #lock} does when {@code dir} is locked now, changing nothing (no folder or lock file is
   * created): lets a command refuse a busy folder before it does any work.
   */
  public static void checkNotInUse(Path dir) throws IOException {
    Path file = dir.resolve(LOCK);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
    try (FileChannel ch = open(dir, false)) {
      FileLock l = tryLock(ch);
      if (l == null) throw inUse(dir, holder(ch));
      l.release();
    }
  }

  /** As {@link #refuseLinks(Path)} for each {@code dir/name}. */
  public static void refuseLinks(Path dir, String... names) throws IOException {
    for (String name : names) refuseLinks(dir.resolve(name));
  }

  /**
   * Refuses ({@link IllegalArgumentException} naming the path) when {@code p}, or anything under it, is a symbolic
   * link. A path that does not exist is fine.
   */
  public static void refuseLinks(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) throw linked(p);
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(p)) { // Files.walk does not follow links: each is seen as itself
      Path link = walk.filter(Files::isSymbolicLink).findFirst().orElse(null);
      if (link != null) throw linked(link);
    }
  }

  /**
   * {@code dir/name} for a {@code name} read from a file (checkpoints/latest): refused, naming {@code source}, unless
   * it is a plain entry name (no separator, no "..", not absolute) whose entry is not a symbolic link.
   */
  public static Path child(Path dir, String name, Path source) {
    if (!PLAIN_NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(source + ": " + OneLine.quote(name) + " is not an entry of " + dir);
    }
    Path p = dir.resolve(name);
    if (Files.isSymbolicLink(p)) throw linked(p);
    return p;
  }

  /** Releases the lock (the OS releases it anyway when the process ends). */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) lock.release();
    } finally {
      channel.close();
    }
  }

  private static FileChannel open(Path dir, boolean create) throws IOException {
    Path file = dir.resolve(LOCK);
    try {
      return create
          ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)
          : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(file)) throw linked(file); // NOFOLLOW_LINKS refused it (ELOOP)
      throw e;
    }
  }

  /** The lock, or null when someone else holds it (another process, or another channel of this JVM). */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  /** The pid the holder wrote, or null (it may be between truncating and writing). */
  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(24);
    ch.read(b, 0);
    String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    return s.matches("[0-9]{1,19}") ? s : null;
  }

  private static IllegalArgumentException inUse(Path dir, String pid) {
    return new IllegalArgumentException(dir + " is in use by " + (pid == null ? "another process" : "process " + pid));
  }

  private static IllegalArgumentException linked(Path p) {
    return new IllegalArgumentException(p + " is a symbolic link; PTLab reads and writes only what it made inside "
        + "the run folder");
  }
}
