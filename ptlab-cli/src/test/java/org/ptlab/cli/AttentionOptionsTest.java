package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * {@code --attention exact|polynomial|auto} and {@code --prompt-max-r} through the command line, on the paper preset
 * (d = 8, one head of 8, no scale) with sequences of 200 vectors: small inputs and prompt give a small R, where auto
 * takes the polynomial path; large inputs give a large R, where it goes exact.
 */
class AttentionOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MODEL = {"--model", "paper", "--model-seed", "3"};
  private static final int LEN = 200;

  @TempDir Path dir;

  /** n sequences of 200 vectors in R^8, entries U(−a, a); targets U(−0.1, 0.1). */
  private Path data(String name, long seed, int n, double a) throws IOException {
    Rng rng = new Rng(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder in = new StringBuilder();
      StringBuilder out = new StringBuilder();
      for (int t = 0; t < LEN; t++) {
        in.append(t == 0 ? "[" : ",[");
        out.append(t == 0 ? "[" : ",[");
        for (int j = 0; j < 8; j++) {
          in.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", a * (2 * rng.nextDouble() - 1)));
          out.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", 0.2 * rng.nextDouble() - 0.1));
        }
        in.append(']');
        out.append(']');
      }
      lines.add("{\"inputs\":[" + in + "],\"target\":[" + out + "]}");
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private static String[] cmd(String command, String... rest) {
    String[] all = new String[1 + MODEL.length + rest.length];
    all[0] = command;
    System.arraycopy(MODEL, 0, all, 1, MODEL.length);
    System.arraycopy(rest, 0, all, 1 + MODEL.length, rest.length);
    return all;
  }

  @Test
  void autoTakesTheFastPathAtSmallRRecordsItAndGoesExactAtLargeR() throws Exception {
    Path train = data("train.jsonl", 1, 16, 0.1);
    Path out = dir.resolve("run");
    String[] r = MainTest.run(cmd("tune", "--method", "prompt", "--prompt-length", "4", "--init-scale", "0.05",
        "--data", train.toString(), "--epochs", "2", "--batch", "8", "--lr", "0.01", "--attention", "auto",
        "--out", out.toString(), "--checkpoint-every", "0"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("attention: auto attention: polynomial path"), r[2]);
    assertTrue(r[2].contains("attention auto: "), "the summary line: " + r[2]);
    JsonNode a = JSON.readTree(out.resolve("metrics.json").toFile()).get("attention");
    assertEquals("auto", a.get("kernel").asText());
    assertEquals(1e-6, a.get("tolerance").asDouble());
    // 4 training steps + 2 evaluation batches, one layer: every call small R and long enough to pay off
    assertEquals(6, a.get("calls").asInt(), a.toString());
    assertEquals(6, a.get("fast_calls").asInt(), a.toString());
    assertTrue(a.get("max_bound").asDouble() > 0 && a.get("max_bound").asDouble() <= 1e-6, a.toString());
    assertTrue(a.get("range_max").asDouble() < 0.5 && a.get("degree_max").asInt() >= 1, a.toString());

    String adapter = out.resolve("adapter").toString();
    JsonNode exact = JSON.readTree(MainTest.run(cmd("eval", "--adapter", adapter, "--data", train.toString(),
        "--json"))[1]);
    assertEquals("exact", exact.get("attention").get("kernel").asText());
    assertEquals(1, exact.get("attention").get("exact_calls").asInt());
    String[] e = MainTest.run(cmd("eval", "--adapter", adapter, "--data", train.toString(), "--json",
        "--attention", "auto"));
    assertEquals("0", e[0], e[2]);
    JsonNode auto = JSON.readTree(e[1]);
    assertEquals(1, auto.get("attention").get("fast_calls").asInt(), auto.toString());
    double bound = auto.get("attention").get("max_bound").asDouble();
    // one layer, MSE: the loss moves by far less than the attention's certified bound times O(1) weights
    assertEquals(exact.get("loss").asDouble(), auto.get("loss").asDouble(), 100 * bound);

    Path big = data("big.jsonl", 2, 4, 6.0); // R ≈ ‖q‖·‖k‖ in the tens: degree and rank explode
    JsonNode large = JSON.readTree(MainTest.run(cmd("eval", "--adapter", adapter, "--data", big.toString(), "--json",
        "--attention", "auto"))[1]).get("attention");
    assertEquals(0, large.get("fast_calls").asInt(), large.toString());
    assertEquals(1, large.get("exact_calls").asInt(), large.toString());
    assertTrue(large.get("range_min").asDouble() > 5, large.toString());
    String[] poly = MainTest.run(cmd("eval", "--adapter", adapter, "--data", train.toString(), "--json",
        "--attention", "polynomial", "--attention-tolerance", "1e-9"));
    JsonNode p = JSON.readTree(poly[1]).get("attention");
    assertEquals(1, p.get("fast_calls").asInt(), p.toString());
    assertTrue(p.get("max_bound").asDouble() <= 1e-9);
  }

  @Test
  void promptMaxRKeepsTheRangeAndIsRecorded() throws Exception {
    Path train = data("train.jsonl", 3, 16, 0.5);
    Path out = dir.resolve("run");
    String[] r = MainTest.run(cmd("tune", "--method", "prompt", "--prompt-length", "4", "--init-scale", "2",
        "--data", train.toString(), "--epochs", "2", "--batch", "8", "--lr", "0.05", "--prompt-max-r", "0.3",
        "--attention", "auto", "--out", out.toString(), "--json", "--quiet"));
    assertEquals("0", r[0], r[2]);
    JsonNode c = JSON.readTree(r[1]).get("prompt_constraint");
    assertEquals(0.3, c.get("r_max").asDouble());
    assertTrue(c.get("range_before_projection_max").asDouble() > 0.3, c.toString());
    assertTrue(c.get("range_after_projection_max").asDouble() <= 0.3, c.toString());
    assertTrue(c.get("range_final").asDouble() <= 0.3, c.toString());
    assertEquals(5, c.get("projections").asInt()); // once at the start, then after each of 4 steps
    assertTrue(c.get("projections_that_changed_the_prompt").asInt() >= 1, c.toString());

    String[] bert = MainTest.run("tune", "--model", "bert", "--set", "vocabSize=40", "--set", "dModel=16", "--set",
        "layers=1", "--set", "heads=2", "--set", "headSize=8", "--set", "mlpHidden=32", "--set", "maxPositions=32",
        "--method", "prompt", "--data", tokens().toString(), "--prompt-max-r", "0.001", "--out",
        dir.resolve("bert").toString());
    assertEquals("2", bert[0], bert[2]);
    assertTrue(bert[2].contains("embeddings.LayerNorm") && bert[2].strip().lines().count() == 1, bert[2]);
    assertTrue(!Files.exists(dir.resolve("bert")), "nothing written on bad input");
  }

  private Path tokens() throws IOException {
    Path p = dir.resolve("tokens.jsonl");
    Files.write(p, List.of("{\"tokens\":[1,2,3],\"label\":0}", "{\"tokens\":[4,5,6,7],\"label\":1}"));
    return p;
  }
}
