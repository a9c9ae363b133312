package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input contract of DESIGN.md, one row per case (issue 16): exit code 2, exactly one line on stderr that
 * names the input, and nothing written — the row's temp folder (which holds every {@code --out}) and the working
 * directory are the same before and after. Rows are {@link BadInputRows}; each runs in a fresh folder.
 */
class BadInputTableTest {
  @TempDir static Path shared;
  static Path template; // an interrupted tune run, copied into rows that damage a run folder

  @TempDir Path dir;

  @BeforeAll
  static void interruptedRun() throws IOException {
    Path data = BadInputRows.writeTrain(shared);
    template = shared.resolve("run");
    List<String> args = new ArrayList<>(List.of("tune"));
    args.addAll(BadInputRows.model());
    args.addAll(List.of("--method", "prompt", "--prompt-length", "2", "--data", data.toString(), "--epochs", "2",
        "--checkpoint-every", "1", "--max-steps", "2", "--out", template.toString(), "--quiet"));
    String[] r = MainTest.run(args.toArray(String[]::new));
    assertEquals("0", r[0], r[2]);
  }

  static Stream<BadInputRows.Row> rows() {
    return BadInputRows.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void refusedInOneLineWithNothingWritten(BadInputRows.Row row) throws Exception {
    BadInputRows.Fixture f = new BadInputRows.Fixture(dir, template);
    String[] args = f.expand(row.args());
    row.setup().accept(f);
    Map<String, String> before = snapshot(dir);
    Map<String, String> cwdBefore = listing(Path.of("").toAbsolutePath());
    String[] r = MainTest.run(args);
    String err = r[2].strip();
    String call = "ptlab " + String.join(" ", args) + "\n→ exit " + r[0] + ", stderr:\n" + r[2];
    assertEquals(Integer.toString(row.exit()), r[0], call);
    assertEquals(1, err.lines().count(), call);
    assertTrue(err.contains(f.expandOne(row.names())), "the line must name " + row.names() + ": " + call);
    assertEquals(before, snapshot(dir), "the folder changed: " + call);
    assertEquals(cwdBefore, listing(Path.of("").toAbsolutePath()), "the working folder changed: " + call);
  }

  /** Every file and folder under {@code root} with its content digest (folders: "dir"). */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String key = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) out.put(key, "link " + Files.readSymbolicLink(p));
        else if (Files.isDirectory(p)) out.put(key, "dir");
        else if (Files.isRegularFile(p)) out.put(key, digest(p));
        else out.put(key, "other");
      }
    }
    return out;
  }

  private static Map<String, String> listing(Path folder) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.forEach(p -> out.put(p.getFileName().toString(), Files.isDirectory(p) ? "dir" : "file"));
    }
    return out;
  }

  private static String digest(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      return "unreadable " + new String(e.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
  }
}
