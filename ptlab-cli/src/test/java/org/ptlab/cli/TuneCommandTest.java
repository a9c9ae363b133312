package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tensor.random.Rng;

/** tune → eval → export end to end through the command line, on a tiny token-classification task. */
class TuneCommandTest {
  private static final String[] MODEL = {"--model", "bert", "--set", "vocabSize=40", "--set", "dModel=16",
      "--set", "layers=1", "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32",
      "--set", "maxPositions=32"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Label 1 when most tokens are above 20: learnable from token identity alone. */
  private Path data(String name, long seed, int n) throws IOException {
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
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private static String[] args(String[] head, String... rest) {
    String[] all = new String[head.length + rest.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }

  @Test
  void tuneThenEvalGivesTheTrainedLoss() throws Exception {
    Path train = data("train.jsonl", 1, 64);
    Path out = dir.resolve("run");
    String[] r = MainTest.run(args(new String[] {"tune"}, args(MODEL, "--method", "lora", "--data", train.toString(),
        "--epochs", "2", "--lr", "0.01", "--out", out.toString(), "--json", "--quiet")));
    assertEquals("0", r[0], r[2]);
    JsonNode metrics = JSON.readTree(r[1]);
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
    assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
    assertEquals(metrics, JSON.readTree(out.resolve("metrics.json").toFile()));
    String[] e = MainTest.run(args(new String[] {"eval"}, args(MODEL, "--adapter", out.resolve("adapter").toString(),
        "--data", train.toString(), "--batch", "8", "--json"))); // the trainer's batching: same bits
    assertEquals("0", e[0], e[2]);
    JsonNode eval = JSON.readTree(e[1]);
    assertEquals(metrics.get("train").get("loss").asDouble(), eval.get("loss").asDouble(), 0.0);
    assertEquals(64, eval.get("n").asInt());
  }

  @Test
  void resumeFinishesWithTheSameAdapterBytes() throws Exception {
    Path train = data("train.jsonl", 2, 40);
    Path whole = dir.resolve("whole");
    Path cut = dir.resolve("cut");
    String[] common = args(MODEL, "--method", "prompt", "--prompt-length", "3", "--data", train.toString(),
        "--epochs", "3", "--checkpoint-every", "4", "--quiet");
    assertEquals("0", MainTest.run(args(new String[] {"tune"}, args(common, "--out", whole.toString())))[0]);
    // the first 7 steps, then a resume with the saved arguments minus the step limit
    assertEquals("0", MainTest.run(args(new String[] {"tune"}, args(common, "--out", cut.toString(),
        "--max-steps", "7")))[0]);
    Path runFile = cut.resolve("run.json");
    String saved = Files.readString(runFile).replace("\"--max-steps\", \"7\", ", "").replace(", \"--max-steps\", \"7\"", "");
    Files.writeString(runFile, saved);
    Files.delete(cut.resolve("checkpoints/latest")); // fingerprint includes maxSteps: resume from a fresh run instead
    Files.walk(cut.resolve("checkpoints")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertEquals("0", MainTest.run("tune", "--resume", cut.toString(), "--quiet")[0]);
    assertArrayEquals(Files.readAllBytes(whole.resolve("adapter/adapter_model.safetensors")),
        Files.readAllBytes(cut.resolve("adapter/adapter_model.safetensors")));
  }

  @Test
  void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
    Path train = data("train.jsonl", 3, 10);
    Path out = dir.resolve("never");
    String[][] bad = {
      args(new String[] {"tune"}, args(MODEL, "--method", "lora", "--targets", "nothing", "--data", train.toString(), "--out", out.toString())),
      args(new String[] {"tune"}, args(MODEL, "--method", "sideways", "--data", train.toString(), "--out", out.toString())),
      args(new String[] {"tune"}, args(MODEL, "--method", "prompt", "--data", dir.resolve("missing.jsonl").toString(), "--out", out.toString())),
      args(new String[] {"tune"}, args(MODEL, "--method", "prompt", "--prompt-length", "40", "--data", train.toString(), "--out", out.toString())),
      {"tune", "--model", "paper", "--method", "prompt", "--data", train.toString(), "--out", out.toString()},
      {"tune", "--model", "nope", "--method", "prompt", "--data", train.toString(), "--out", out.toString()},
      {"eval", "--model", "bert", "--set", "layers=0", "--data", train.toString()},
    };
    for (String[] a : bad) {
      String[] r = MainTest.run(a);
      assertEquals("2", r[0], String.join(" ", a) + " → " + r[2]);
      assertEquals(1, r[2].strip().lines().count(), r[2]);
      assertFalse(Files.exists(out), "nothing written for " + String.join(" ", a));
    }
  }

  @Test
  void exportedModelTrainsLikeThePreset() throws Exception {
    Path train = data("train.jsonl", 4, 24);
    Path model = dir.resolve("model");
    assertEquals("0", MainTest.run(args(new String[] {"export"}, args(MODEL, "--out", model.toString())))[0]);
    assertTrue(Files.isRegularFile(model.resolve("config.json")));
    String[] fromPreset = MainTest.run(args(new String[] {"tune"}, args(MODEL, "--method", "head", "--data",
        train.toString(), "--out", dir.resolve("a").toString(), "--json", "--quiet")));
    String[] fromDir = MainTest.run("tune", "--model", model.toString(), "--method", "head", "--data",
        train.toString(), "--out", dir.resolve("b").toString(), "--json", "--quiet");
    assertEquals("0", fromDir[0], fromDir[2]);
    assertEquals(JSON.readTree(fromPreset[1]).get("train"), JSON.readTree(fromDir[1]).get("train"));
  }
}
