package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.tuning.AdapterJson;

/** The real model from the command line: embed, and tune/eval on a CSV file with class names. */
class MiniLmCommandsTest {
  @TempDir Path tmp;

  @Test
  void embedPrintsTheReferenceEmbedding() throws Exception {
    String[] r = MainTest.run("embed", "--text", "A man is playing a guitar.", "--json");
    assertEquals("0", r[0], r[2]);
    JsonNode o = AdapterJson.MAPPER.readTree(r[1]);
    assertEquals("A man is playing a guitar.", o.get("text").asText());
    assertEquals("[CLS]", o.get("tokens").get(0).asText());
    assertEquals(9, o.get("ids").size());
    assertTrue(o.get("normalized").asBoolean());
    double[] spec = {0.021664, -0.004864, -0.009649, -0.063401, -0.167493}; // spec/model-path.md §3
    for (int i = 0; i < spec.length; i++) assertEquals(spec[i], o.get("embedding").get(i).asDouble(), 1e-5);
    assertEquals(384, o.get("embedding").size());
  }

  @Test
  void embedRejectsAModelWithoutTokenizer() {
    String[] r = MainTest.run("embed", "--model", "paper", "--text", "hi");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no WordPiece tokenizer"), r[2]);
  }

  @Test
  void promptTuningOnACsvWithClassNamesEvaluatesWithTheSameIds() throws Exception {
    Path train = tmp.resolve("train.csv");
    Files.writeString(train, "text,label\n\"Great phone, works well.\",good\nTerrible battery.,bad\n"
        + "I love it,good\nBroke after a day,bad\n");
    Path test = tmp.resolve("test.csv"); // the other class first: ids must come from the adapter, not this file
    Files.writeString(test, "label,text\nbad,Terrible battery.\ngood,I love it\n");
    Path out = tmp.resolve("run");
    String[] t = MainTest.run("tune", "--model", "minilm", "--method", "prompt", "--prompt-length", "2",
        "--init", "CLASS_LABELS", "--label-words", "good,bad", "--data", train.toString(), "--epochs", "1",
        "--batch", "4", "--lr", "0.01", "--out", out.toString(), "--quiet", "--json");
    assertEquals("0", t[0], t[2]);
    JsonNode cfg = AdapterJson.MAPPER.readTree(out.resolve("adapter/adapter_config.json").toFile());
    assertEquals("[\"good\",\"bad\"]", cfg.path("ptlab").path("class_names").toString());
    String[] swapped = MainTest.run("eval", "--model", "minilm", "--adapter", out.resolve("adapter").toString(),
        "--data", test.toString(), "--json");
    assertEquals("0", swapped[0], swapped[2]);
    Path same = tmp.resolve("same.csv");
    Files.writeString(same, "text,label\nI love it,good\nTerrible battery.,bad\n");
    String[] direct = MainTest.run("eval", "--model", "minilm", "--adapter", out.resolve("adapter").toString(),
        "--data", same.toString(), "--json");
    double a = AdapterJson.MAPPER.readTree(swapped[1]).get("loss").asDouble();
    double b = AdapterJson.MAPPER.readTree(direct[1]).get("loss").asDouble();
    assertEquals(b, a, 1e-6, "the same two sentences with the same labels, whatever the file's order");
    assertFalse(Files.exists(out.resolve("model")));
  }
}
