package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ptlab reproduce}: the CLI contract (exit codes, one-line errors, --json on stdout, --list). */
class ReproduceCommandTest {
  private static void assertBadInput(String[] r, String names) {
    assertEquals("2", r[0], r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertTrue(r[2].contains(names), r[2]);
  }

  @Test
  void badInputExitsTwoWithOneLineNamingIt(@TempDir Path tmp) throws Exception {
    assertBadInput(MainTest.run("reproduce", "--only", "E99", "--out", tmp.toString()), "E99");
    assertBadInput(MainTest.run("reproduce", "--threads", "0", "--out", tmp.toString()), "--threads");
    assertBadInput(MainTest.run("reproduce", "--quick", "--full", "--out", tmp.toString()), "--quick");
    assertBadInput(MainTest.run("reproduce", "--size", "huge", "--out", tmp.toString()), "huge");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertBadInput(MainTest.run("reproduce", "--only", "D0", "--out", file.resolve("sub").toString()), "--out");
  }

  @Test
  void listPrintsTheRegistry() throws Exception {
    String[] r = MainTest.run("reproduce", "--list");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].startsWith("D0 "), r[1]);
    JsonNode j = new ObjectMapper().readTree(MainTest.run("reproduce", "--list", "--json")[1]);
    assertEquals("D0", j.get("experiments").get(0).get("id").asText());
  }

  @Test
  void jsonEndToEndOnTheSmokeGridThenResume(@TempDir Path out) throws Exception {
    // No --quiet: the progress bar goes to stderr and must not leak into the JSON on stdout.
    String[] r = MainTest.run("reproduce", "--size", "smoke", "--only", "D0", "--out", out.toString(), "--json",
        "--threads", "2");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("D0") && r[2].contains("runs"), "progress on stderr: " + r[2]);
    JsonNode j = new ObjectMapper().readTree(r[1]);
    JsonNode d0 = j.get("experiments").get(0);
    assertEquals("D0", d0.get("id").asText());
    assertEquals(2, d0.get("runs").asInt());
    assertEquals(2, d0.get("ran").asInt());
    assertEquals(5, d0.get("claims").size());
    for (JsonNode c : d0.get("claims")) {
      for (String field : new String[] {"name", "measured", "bound", "passed", "status"}) {
        assertTrue(c.has(field), field + " in " + c);
      }
    }
    Path report = Path.of(j.get("report").asText());
    assertEquals(out.resolve("report").resolve("index.html"), report);
    assertTrue(Files.readString(report).contains("prompt-fits-at-teacher-length"));
    assertTrue(Files.exists(out.resolve("results/D0.csv")) && Files.exists(out.resolve("figures/D0-loss-curves.svg")));

    String[] again = MainTest.run("reproduce", "--size", "smoke", "--only", "D0", "--out", out.toString(), "--json",
        "--quiet");
    assertEquals("0", again[0], again[2]);
    assertEquals("", again[2], "--quiet: nothing on stderr");
    JsonNode d0again = new ObjectMapper().readTree(again[1]).get("experiments").get(0);
    assertEquals(0, d0again.get("ran").asInt(), "resumed: nothing recomputed");
    assertEquals(2, d0again.get("skipped").asInt());
    assertEquals(d0.get("claims").toString(), d0again.get("claims").toString());
  }
}
