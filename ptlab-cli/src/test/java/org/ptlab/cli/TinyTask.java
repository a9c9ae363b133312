package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ptlab.tensor.random.Rng;

/** A tiny model and token-classification file for CLI tests that need a real run folder (as TuneCommandTest's). */
final class TinyTask {
  static final String[] MODEL = {"--model", "bert", "--set", "vocabSize=40", "--set", "dModel=16",
      "--set", "layers=1", "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32",
      "--set", "maxPositions=32"};

  private TinyTask() {}

  /** {@code n} lines {"tokens":[…],"label":0|1} in {@code dir/name}. */
  static Path data(Path dir, String name, long seed, int n) throws IOException {
    Rng rng = new Rng(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 3 + rng.nextInt(6);
      StringBuilder sb = new StringBuilder("{\"tokens\":[");
      int high = 0;
      for (int j = 0; j < len; j++) {
        int t = 1 + rng.nextInt(39);
        if (t > 20) high++;
        sb.append(j == 0 ? "" : ",").append(t);
      }
      sb.append(String.format(Locale.ROOT, "],\"label\":%d}", 2 * high > len ? 1 : 0));
      lines.add(sb.toString());
    }
    return Files.write(dir.resolve(name), lines);
  }

  /** {@code ptlab COMMAND MODEL… rest…}. */
  static String[] cmd(String command, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(MODEL));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  /** Every entry under {@code dir} (links not followed) with its content or link target: equal means unchanged. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return m;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String v = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p) ? "dir" : java.util.HexFormat.of().formatHex(Files.readAllBytes(p));
        m.put(dir.relativize(p).toString(), v);
      }
    }
    return m;
  }

  /** Exit 2 and one line on stderr that contains {@code names}. */
  static void assertBadInput(String[] r, String names) {
    assertEquals("2", r[0], r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    org.junit.jupiter.api.Assertions.assertTrue(r[2].contains(names), r[2]);
  }
}
