package org.ptlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ptlab.lab.run.RunTask;

/**
 * Every run's identity (canonical config JSON, its hash, the seeds) at every size, pinned to a golden file. A run
 * store written by an earlier version is resumed only if these stay byte-identical, and the same seeds are what
 * keep the numbers bit-identical; a refactoring of how grids are written must not change a byte here. An
 * intended change of a grid regenerates the file (the actual text is left in {@code target/} on failure).
 */
class GridIdentityTest {
  private static final String GOLDEN = "grid-identities.txt";

  @Test
  void everyRunKeepsItsConfigJsonHashAndSeeds() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Experiment e : Experiments.all()) {
      for (GridSize size : GridSize.values()) {
        for (RunTask t : RunTask.plan(e, size)) {
          sb.append(e.id()).append(' ').append(size.label()).append(' ').append(t.repeat()).append(' ')
              .append(t.seed()).append(' ').append(t.taskSeed()).append(' ').append(t.configHash()).append(' ')
              .append(t.configJson()).append('\n');
        }
      }
    }
    String actual = sb.toString();
    String expected;
    try (InputStream in = GridIdentityTest.class.getResourceAsStream(GOLDEN)) {
      expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!expected.equals(actual)) Files.writeString(Path.of("target", GOLDEN + ".actual"), actual);
    assertEquals(expected, actual, "run identities changed; actual text in target/" + GOLDEN + ".actual");
  }
}
