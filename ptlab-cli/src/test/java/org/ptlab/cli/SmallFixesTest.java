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

  @Test
  void betasReachTheOptimizerAndDefaultToTorchs() throws Exception {
    Path train = TinyTask.data(dir, "train.jsonl", 6, 16);
    byte[][] adapters = new byte[3][];
    String[][] betas = {{}, {"--betas", "0.9,0.999"}, {"--betas", "0.5,0.9"}};
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("run" + i);
      java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("--method", "lora", "--optimizer",
          "ADAMW", "--data", train.toString(), "--epochs", "1", "--lr", "0.01", "--out", out.toString(), "--quiet"));
      a.addAll(java.util.List.of(betas[i]));
      String[] r = MainTest.run(TinyTask.cmd("tune", a.toArray(String[]::new)));
      assertEquals("0", r[0], r[2]);
      adapters[i] = Files.readAllBytes(out.resolve("adapter/adapter_model.safetensors"));
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(adapters[0], adapters[1], "torch's defaults: the same bits");
    assertTrue(!java.util.Arrays.equals(adapters[0], adapters[2]), "other betas train otherwise");
  }
}
