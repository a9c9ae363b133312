package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ptlab construct universal}: the U1 family built, verified, saved, and evaluated by {@code ptlab eval}. */
class ConstructUniversalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void buildsVerifiesSavesAndEvalReachesZeroLoss() throws Exception {
    Path out = dir.resolve("u1");
    String[] r = MainTest.run("construct", "universal", "--d", "1", "--L", "2", "--delta", "0.5", "--out",
        out.toString(), "--member", "173", "--json");
    assertEquals("0", r[0], r[2]);
    JsonNode j = JSON.readTree(r[1]);
    assertEquals(8, j.get("prompt_length").asInt());
    assertEquals(2047, j.get("ffn_width").asInt());
    assertTrue(j.get("min_id_gap").asDouble() > 0);
    assertTrue(j.get("max_error").asDouble() <= 1e-8);
    assertTrue(j.get("verified").asBoolean());
    try (Stream<Path> s = Files.list(out.resolve("adapters"))) {
      assertEquals(256, s.count(), "every member's adapter");
    }
    assertEquals(out.toAbsolutePath().resolve("model").toString(), JSON.readTree(out.resolve(
        "adapters/member-173/adapter_config.json").toFile()).get("base_model_name_or_path").asText());
    String[] e = MainTest.run("eval", "--model", out.resolve("model").toString(), "--adapter",
        out.resolve("adapters/member-173").toString(), "--data", out.resolve("data/member-173.jsonl").toString(),
        "--json");
    assertEquals("0", e[0], e[2]);
    JsonNode m = JSON.readTree(e[1]);
    assertEquals(4, m.get("n").asInt());
    assertTrue(m.get("loss").asDouble() < 1e-16, "eval loss " + m.get("loss"));
    // another member's prompt on member 173's data is wrong somewhere: the prompt carries the function
    String[] other = MainTest.run("eval", "--model", out.resolve("model").toString(), "--adapter",
        out.resolve("adapters/member-172").toString(), "--data", out.resolve("data/member-173.jsonl").toString(),
        "--json");
    assertTrue(JSON.readTree(other[1]).get("loss").asDouble() > 1e-3);
  }

  @Test
  void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
    Path out = dir.resolve("bad");
    String[] notGrid = MainTest.run("construct", "universal", "--d", "1", "--L", "2", "--delta", "0.3", "--out",
        out.toString());
    assertEquals("2", notGrid[0]);
    assertTrue(notGrid[2].contains("δ must be 1/k"), notGrid[2]);
    assertEquals(1, notGrid[2].strip().lines().count(), notGrid[2]);
    String[] tooBig = MainTest.run("construct", "universal", "--d", "1", "--L", "2", "--delta", "0.25", "--out",
        out.toString());
    assertEquals("2", tooBig[0]);
    assertTrue(tooBig[2].contains("would need about"), tooBig[2]);
    assertEquals(1, tooBig[2].strip().lines().count(), tooBig[2]);
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "no temp folder left behind");
    }
  }

  @Test
  void helpExplainsTheOutput() {
    String[] h = MainTest.run("construct", "universal", "--help");
    assertEquals("0", h[0]);
    assertTrue(h[1].contains("prompt_length") && h[1].contains("ptlab eval"), h[1]);
  }
}
