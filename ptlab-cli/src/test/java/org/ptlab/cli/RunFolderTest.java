package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.cli.TinyTask.assertBadInput;
import static org.ptlab.cli.TinyTask.cmd;
import static org.ptlab.cli.TinyTask.snapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.RunFolder;

/**
 * Issue 16, items 2 and 6: one writer per run folder (an OS lock that dies with its process), and PTLab never
 * writes, deletes or reads through a path it did not make inside the run folder.
 */
class RunFolderTest {
  @TempDir Path dir;

  /** A finished short run in {@code out}. */
  private void tune(Path out) throws IOException {
    Path train = TinyTask.data(dir, "train.jsonl", 1, 16);
    String[] r = MainTest.run(cmd("tune", "--method", "lora", "--data", train.toString(), "--epochs", "2",
        "--checkpoint-every", "1", "--out", out.toString(), "--quiet"));
    assertEquals("0", r[0], r[2]);
  }

  @Test
  void aFolderLockedByAnotherProcessIsRefusedUntilThatProcessIsKilled() throws Exception {
    Path out = dir.resolve("run");
    tune(out);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockHolder.class.getName(), out.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", said.readLine());
      Map<String, String> before = snapshot(out);
      String busy = out + " is in use by process " + holder.pid();
      assertBadInput(MainTest.run("tune", "--resume", out.toString(), "--quiet"), busy);
      Path train = dir.resolve("train.jsonl");
      assertBadInput(MainTest.run(cmd("tune", "--method", "prompt", "--data", train.toString(), "--out",
          out.toString(), "--quiet")), busy);
      assertEquals(before, snapshot(out), "a refused run changes nothing");
    } finally {
      holder.destroyForcibly(); // SIGKILL: no shutdown hook runs, the OS alone drops the lock
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    String[] r = MainTest.run("tune", "--resume", out.toString(), "--quiet");
    assertEquals("0", r[0], "no stale lock after kill -9: " + r[2]);
  }

  @Test
  void aFolderThisJvmHoldsIsRefusedAndFreeAgainWhenReleased() throws Exception {
    Path out = dir.resolve("run");
    Path train = TinyTask.data(dir, "train.jsonl", 1, 16);
    String[] tune = cmd("tune", "--method", "lora", "--data", train.toString(), "--max-steps", "2", "--out",
        out.toString(), "--quiet");
    try (RunFolder held = RunFolder.lock(out)) {
      Map<String, String> before = snapshot(out);
      assertBadInput(MainTest.run(tune), "is in use by process " + ProcessHandle.current().pid());
      assertEquals(before, snapshot(out));
    }
    assertEquals("0", MainTest.run(tune)[0]);
    assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(out.resolve(RunFolder.LOCK)));
  }

  @Test
  void symbolicLinksInsideOutAreRefusedAndTheirTargetsUntouched() throws Exception {
    Path victim = Files.createDirectories(dir.resolve("victim/step-000000001"));
    Files.writeString(victim.resolve("keep"), "mine");
    Files.writeString(dir.resolve("victim/adapter_config.json"), "{\"mine\":1}");
    Path train = TinyTask.data(dir, "train.jsonl", 1, 16);
    for (String name : List.of("checkpoints", "adapter", "model", "run.json", "metrics.json")) {
      Path out = Files.createDirectories(dir.resolve("out-" + name));
      Files.createSymbolicLink(out.resolve(name), dir.resolve("victim"));
      Map<String, String> before = snapshot(dir.resolve("victim"));
      assertBadInput(MainTest.run(cmd("tune", "--method", "lora", "--data", train.toString(), "--max-steps", "2",
          "--out", out.toString(), "--quiet")), out.resolve(name) + " is a symbolic link");
      assertEquals(before, snapshot(dir.resolve("victim")), name);
      assertEquals(List.of(name), list(out), "nothing written in " + out);
    }
    Path out = dir.resolve("run"); // a link deeper down: a checkpoint folder of a finished run
    tune(out);
    Path step = list(out.resolve("checkpoints")).stream().filter(n -> n.startsWith("step-")).map(out.resolve("checkpoints")::resolve).findFirst().orElseThrow();
    Files.move(step, dir.resolve("moved"));
    Files.createSymbolicLink(step, dir.resolve("moved"));
    assertBadInput(MainTest.run("tune", "--resume", out.toString(), "--quiet"), step + " is a symbolic link");
  }

  @Test
  void latestNamingAnythingButAnEntryOfCheckpointsIsRefused() throws Exception {
    Path out = dir.resolve("run");
    tune(out);
    Path latest = out.resolve("checkpoints/latest");
    Path ck = out.resolve("checkpoints").resolve(Files.readString(latest).trim());
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/ck"));
    try (Stream<Path> files = Files.list(ck)) {
      for (Path f : files.toList()) Files.copy(f, elsewhere.resolve(f.getFileName()));
    }
    for (String name : List.of("../../elsewhere/ck", elsewhere.toString(), "..", ".")) {
      Files.writeString(latest, name + "\n");
      assertBadInput(MainTest.run("tune", "--resume", out.toString(), "--quiet"), latest.toString());
    }
  }

  @Test
  void resumingACopiedRunFolderWritesIntoTheCopy() throws Exception {
    Path original = dir.resolve("run");
    Path train = TinyTask.data(dir, "train.jsonl", 1, 16);
    assertEquals("0", MainTest.run(cmd("tune", "--method", "lora", "--data", train.toString(), "--epochs", "3",
        "--checkpoint-every", "2", "--max-steps", "3", "--out", original.toString(), "--quiet"))[0]);
    Path copy = dir.resolve("copy");
    try (Stream<Path> walk = Files.walk(original)) {
      for (Path p : walk.toList()) Files.copy(p, copy.resolve(original.relativize(p).toString()));
    }
    Files.delete(copy.resolve("metrics.json"));
    Map<String, String> before = snapshot(original);
    String[] r = MainTest.run("tune", "--resume", copy.toString(), "--quiet");
    assertEquals("0", r[0], r[2]);
    assertTrue(Files.isRegularFile(copy.resolve("metrics.json")));
    assertEquals(before, snapshot(original), "the original run folder is not written");
  }

  @Test
  void reproduceRefusesALinkedRunStore() throws Exception {
    Path foreign = Files.writeString(dir.resolve("foreign.sqlite"), "someone else's database");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve("runs.sqlite"), foreign);
    assertBadInput(MainTest.run("reproduce", "--size", "smoke", "--only", "D0", "--out", out.toString(), "--quiet"),
        out.resolve("runs.sqlite") + " is a symbolic link");
    assertEquals("someone else's database", Files.readString(foreign));
    assertEquals(List.of("runs.sqlite"), list(out));
  }

  private static List<String> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
