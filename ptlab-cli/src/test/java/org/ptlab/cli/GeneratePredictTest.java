package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tuning.AdapterJson;

/**
 * {@code ptlab generate}, {@code ptlab predict}, and causal-LM tuning on prompt-completion data, end to end on tiny
 * models: a tuned soft prompt changes what generate says, eval's exact match agrees with generate line by line, and
 * predict's labels agree with eval's accuracy.
 */
class GeneratePredictTest {
  static final String[] GPT = {"--model", "gpt", "--set", "dModel=16,layers=1,heads=2,headSize=8,mlpHidden=32"};
  private static final String[][] PAIRS = {{"a=", "1"}, {"b=", "2"}, {"c=", "3"}, {"d=", "4"}};

  @TempDir Path dir;

  static String[] with(String[] base, String command, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(base));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static JsonNode json(String[] r) throws Exception {
    assertEquals("0", r[0], r[2]);
    return AdapterJson.MAPPER.readTree(r[1]);
  }

  @Test
  void greedyIsDeterministicAndTheSeedFixesSampling() throws Exception {
    JsonNode a = json(MainTest.run(with(GPT, "generate", "--text", "hello", "--max-new-tokens", "6", "--json")));
    assertEquals(6, a.get("tokens").size());
    assertEquals(6, a.get("generated").asInt());
    assertEquals("[104,101,108,108,111]", a.get("prompt_tokens").toString()); // UTF-8 bytes of "hello"
    assertEquals(a, json(MainTest.run(with(GPT, "generate", "--text", "hello", "--max-new-tokens", "6", "--json"))));
    String[] sample = with(GPT, "generate", "--text", "hello", "--max-new-tokens", "12", "--temperature", "2",
        "--top-k", "50", "--seed", "3", "--json");
    JsonNode s1 = json(MainTest.run(sample));
    assertEquals(s1, json(MainTest.run(sample)));
    sample[sample.length - 2] = "4";
    assertNotEquals(s1.get("tokens"), json(MainTest.run(sample)).get("tokens"));
  }

  /** A gpt model saved by full fine-tuning carries its byte tokenizer, so generate reads --text from the folder. */
  @Test
  void aFullyTunedGptFolderGeneratesFromText() throws Exception {
    Path data = Files.writeString(dir.resolve("lm.jsonl"), "{\"text\":\"abcabcabc\"}\n{\"text\":\"abcab\"}\n");
    Path out = dir.resolve("full");
    String[] r = MainTest.run(with(GPT, "tune", "--data", data.toString(), "--method", "full", "--epochs", "2",
        "--out", out.toString(), "--quiet"));
    assertEquals("0", r[0], r[2]);
    Path saved = out.resolve("model");
    assertTrue(Files.isRegularFile(saved.resolve("tokenizer.json")), "the saved folder has the byte tokenizer");
    JsonNode g = json(MainTest.run("generate", "--model", saved.toString(), "--text", "abc", "--max-new-tokens", "3",
        "--json"));
    assertEquals("[97,98,99]", g.get("prompt_tokens").toString());
    assertEquals(3, g.get("generated").asInt());
  }

  /**
   * TRL-style data trains the answers; the tuned prompt changes the output; eval's exact match is generate's. The
   * head trains too ({@code --train-head}): PEFT's CAUSAL_LM default leaves lm_head frozen, and a prompt alone moves
   * a random-weight model's logits very little (loss 5.554 → 5.540 in 80 steps).
   */
  @Test
  void promptCompletionTuningThenGenerateAndEval() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (String[] p : PAIRS) lines.append("{\"prompt\":\"").append(p[0]).append("\",\"completion\":\"").append(p[1]).append("\"}\n");
    Path data = Files.writeString(dir.resolve("qa.jsonl"), lines);
    Path out = dir.resolve("run");
    JsonNode m = json(MainTest.run(with(GPT, "tune", "--data", data.toString(), "--method", "prompt", "--prompt-length",
        "4", "--train-head", "--epochs", "80", "--batch", "4", "--lr", "0.05", "--out", out.toString(), "--quiet", "--json")));
    double first = m.get("history").get(0).get("train_loss").asDouble();
    assertTrue(m.get("train").get("loss").asDouble() < first / 2, "loss " + m.get("train").get("loss") + " from " + first);
    assertEquals(1.0, m.get("train").get("accuracy").asDouble()); // answer tokens only, teacher-forced
    String adapter = out.resolve("adapter").toString();
    JsonNode e = json(MainTest.run(with(GPT, "eval", "--data", data.toString(), "--adapter", adapter, "--json")));
    assertEquals(1.0, e.get("accuracy").asDouble());
    int same = 0;
    for (String[] p : PAIRS) {
      JsonNode g = json(MainTest.run(with(GPT, "generate", "--adapter", adapter, "--text", p[0], "--max-new-tokens", "1", "--json")));
      if (g.get("text").asText().equals(p[1])) same++;
    }
    assertEquals(same / (double) PAIRS.length, e.get("exact_match").asDouble());
    assertEquals(1.0, e.get("exact_match").asDouble(), "one-token answers: accuracy 1 means exact match 1");
    JsonNode plain = json(MainTest.run(with(GPT, "generate", "--text", "a=", "--max-new-tokens", "1", "--json")));
    assertNotEquals("1", plain.get("text").asText(), "without the adapter the model does not know the answer");
    String[] text = MainTest.run(with(GPT, "eval", "--data", data.toString(), "--adapter", adapter));
    assertTrue(text[1].contains("exact_match 1.0000"), text[1]);
  }

  /** Token-only LM lines keep their output: no exact_match (every next token is scored, there is no answer). */
  @Test
  void tokenOnlyLmDataHasNoExactMatch() throws Exception {
    Path data = Files.writeString(dir.resolve("lm.jsonl"), "{\"tokens\":[104,105,33]}\n{\"text\":\"hey\"}\n");
    JsonNode e = json(MainTest.run(with(GPT, "eval", "--data", data.toString(), "--json")));
    assertTrue(!e.has("exact_match") && e.get("accuracy").isNumber(), e.toString());
    assertEquals(2, e.get("n").asInt());
  }

  @Test
  void predictGivesEachInputsLabelAndProbabilitiesInOrder() throws Exception {
    Path train = TinyTask.data(dir, "train.jsonl", 3, 24);
    Path out = dir.resolve("cls");
    json(MainTest.run(TinyTask.cmd("tune", "--data", train.toString(), "--method", "lora", "--epochs", "20",
        "--lr", "0.01", "--out", out.toString(), "--quiet", "--json")));
    String adapter = out.resolve("adapter").toString();
    JsonNode p = json(MainTest.run(TinyTask.cmd("predict", "--adapter", adapter, "--data", train.toString(), "--json")));
    JsonNode preds = p.get("predictions");
    assertEquals(24, preds.size());
    List<String> labels = Files.readAllLines(train);
    int right = 0;
    for (int i = 0; i < 24; i++) {
      JsonNode row = preds.get(i);
      double sum = 0;
      int best = 0;
      for (int j = 0; j < row.get("probabilities").size(); j++) {
        sum += row.get("probabilities").get(j).asDouble();
        if (row.get("probabilities").get(j).asDouble() > row.get("probabilities").get(best).asDouble()) best = j;
      }
      assertEquals(1.0, sum, 1e-6);
      assertEquals(best, row.get("label").asInt());
      if (labels.get(i).endsWith("\"label\":" + best + "}")) right++;
    }
    JsonNode e = json(MainTest.run(TinyTask.cmd("eval", "--adapter", adapter, "--data", train.toString(), "--json")));
    assertEquals(e.get("accuracy").asDouble(), right / 24.0, 1e-12, "predict's labels score what eval scores");
    String[] text = MainTest.run(TinyTask.cmd("predict", "--adapter", adapter, "--data", train.toString()));
    assertEquals(24, text[1].lines().count());
    assertTrue(text[1].lines().findFirst().orElseThrow().matches("[01]\t0\\.\\d{6} 0\\.\\d{6}"), text[1]);
  }
}
