package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller CLI defects of issue 15 item 5, each through the command line. */
class SmallFixesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void promptAndPrefixCompose() throws Exception {
    Path train = TinyTask.data(dir, "train.jsonl", 5, 24);
    Path out = dir.resolve("run");
    String[] r = MainTest.run(TinyTask.cmd("tune", "--method", "prompt,prefix", "--prompt-length", "3",
        "--data", train.toString(), "--epochs", "1", "--out", out.toString(), "--json", "--quiet"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("trainable params: "), "--quiet keeps the trainable-parameters line: " + r[2]);
    assertTrue(Files.isRegularFile(out.resolve("adapter/prompt/adapter_model.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("adapter/prefix/adapter_model.safetensors")));
    Path asJson = Files.copy(train, dir.resolve("train.json")); // JSON lines under .json: read as .jsonl
    String[] e = MainTest.run(TinyTask.cmd("eval", "--adapter", out.resolve("adapter").toString(),
        "--data", asJson.toString(), "--batch", "8", "--json"));
    assertEquals("0", e[0], e[2]);
    assertEquals(JSON.readTree(r[1]).get("train").get("loss").asDouble(),
        JSON.readTree(e[1]).get("loss").asDouble(), 0.0);
  }

  @Test
  void setTakesCommaSeparatedPairs() {
    TuneCommand t = new TuneCommand();
    new picocli.CommandLine(t).parseArgs("--set", "dModel=16,heads=2", "--set", "blocks=[],layers=1");
    assertEquals(java.util.Map.of("dModel", "16", "heads", "2", "blocks", "[]", "layers", "1"), t.model.overrides);
    TuneCommand list = new TuneCommand();
    new picocli.CommandLine(list).parseArgs("--set", "blocks=[1,2],layers=1"); // a comma inside a value stays
    assertEquals("[1,2]", list.model.overrides.get("blocks"));
  }
}
