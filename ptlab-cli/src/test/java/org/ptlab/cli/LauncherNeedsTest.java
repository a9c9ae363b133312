package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 7: {@code ./ptlab reproduce} on a machine without npm (and no root or apt-get to install it) says
 * in one line what to install before it builds or runs anything, instead of failing E10 minutes later.
 */
class LauncherNeedsTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent(); // surefire runs in ptlab-cli
  /** Left out of the PATH: npm (the repro), apt-get (so root cannot install), mvn (replaced by a marker). */
  private static final Set<String> HIDDEN = Set.of("npm", "apt-get", "mvn");

  @TempDir Path dir;

  private static String[] bash(Path cwd, List<String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    for (String kv : env) pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new String[] {Integer.toString(p.exitValue()), out, err};
  }

  /** A PATH of links to every program on this machine's PATH except {@link #HIDDEN}, and an mvn that leaves a mark. */
  private Path pathWithoutNpm() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String d : System.getenv("PATH").split(":")) {
      Path folder = Path.of(d);
      if (!Files.isDirectory(folder)) continue;
      try (Stream<Path> s = Files.list(folder)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String name = p.getFileName().toString();
          if (!HIDDEN.contains(name) && !Files.exists(bin.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(bin.resolve(name), p);
          }
        }
      }
    }
    Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\ntouch '" + dir.resolve("built") + "'\nexit 1\n");
    mvn.toFile().setExecutable(true);
    return bin;
  }

  @Test
  void aHugePagesSettingOtherThanOnOrOffIsRefusedBeforeBuilding() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isRegularFile(ROOT.resolve("ptlab")));
    Path bin = pathWithoutNpm();
    String[] r;
    try {
      r = bash(dir, List.of("PATH=" + bin, "PTLAB_HUGE_PAGES=yes"), "/bin/bash", ROOT.resolve("ptlab").toString(),
          "--version");
    } finally {
      try (Stream<Path> links = Files.list(bin)) {
        for (Path link : (Iterable<Path>) links::iterator) Files.delete(link);
      }
    }
    assertEquals("2", r[0], r[2]);
    assertEquals("ptlab: PTLAB_HUGE_PAGES must be on or off, got 'yes'", r[2].strip());
    assertFalse(Files.exists(dir.resolve("built")), "nothing built");
  }

  @Test
  void withoutNpmTheLauncherSaysWhatToInstallBeforeBuilding() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isRegularFile(ROOT.resolve("ptlab")));
    Path bin = pathWithoutNpm();
    Path data = Files.createDirectories(dir.resolve("empty-cache"));
    long start = System.nanoTime();
    String[] r;
    try {
      r = bash(dir, List.of("PATH=" + bin, "PTLAB_DATA=" + data), "/bin/bash", ROOT.resolve("ptlab").toString(),
          "reproduce", "--quick", "--out", dir.resolve("out").toString());
    } finally {
      try (Stream<Path> links = Files.list(bin)) { // JUnit warns about each link out of the temp folder it deletes
        for (Path link : (Iterable<Path>) links::iterator) Files.delete(link);
      }
    }
    assertEquals("1", r[0], r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertTrue(r[2].startsWith("ptlab: first install ") && r[2].contains("npm") && r[2].contains("apt-get install"),
        r[2]);
    assertFalse(Files.exists(dir.resolve("built")), "nothing built");
    assertFalse(Files.exists(dir.resolve("out")), "nothing run");
    assertTrue(System.nanoTime() - start < 30e9);
  }

  @Test
  void onlyTheMainJobWithoutCachedDataNeedsNpm() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")));
    Path cached = Files.createDirectories(dir.resolve("cache/sentiment-5.0.2")).getParent();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String[][] cases = { // args, data cache, needs npm
        {"reproduce --quick", "empty", "yes"}, {"reproduce", "empty", "yes"}, {"reproduce --only E1,e10", "empty", "yes"},
        {"reproduce --only=E10", "empty", "yes"}, {"reproduce --only E1,E9", "empty", "no"},
        {"reproduce --list", "empty", "no"}, {"reproduce --help", "empty", "no"}, {"tune --help", "empty", "no"},
        {"reproduce --quick", "cached", "no"}};
    for (String[] c : cases) {
      Path cache = c[1].equals("cached") ? cached : empty;
      String[] r = bash(dir, List.of("PTLAB_DATA=" + cache), "/bin/bash", "-c",
          ". '" + ROOT.resolve("scripts/needs.sh") + "'; if ptlab_needs_npm " + c[0] + "; then echo yes; else echo no; fi");
      assertEquals(c[2], r[1].strip(), String.join(" ", c) + " " + r[2]);
    }
  }
}
