package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** construct shared-token → certify → eval of the exact LoRA update, and the contract for bad input. */
class CertifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Map<String, JsonNode> byName(JsonNode certificates) {
    Map<String, JsonNode> m = new HashMap<>();
    certificates.forEach(c -> m.put(c.get("name").asText(), c));
    return m;
  }

  @Test
  void constructCertifyAndEvalTheExactUpdate() throws Exception {
    Path model = dir.resolve("st");
    String[] built = MainTest.run("construct", "shared-token", "--d", "6", "--r", "12", "--ell", "0.6", "--alpha",
        "1.5", "--seed", "5", "--out", model.toString(), "--json");
    assertEquals("0", built[0], built[2]);
    JsonNode facts = JSON.readTree(built[1]);
    assertEquals(0.6, facts.get("ell").asDouble(), 1e-12);
    double closedForm = facts.get("closed_form_sse").asDouble();
    double bound = facts.get("bound").get("value").asDouble();
    assertTrue(bound >= closedForm * (1 - 1e-9), "certified " + bound + " below the closed form " + closedForm);

    Path lora = dir.resolve("lora");
    String[] cert = MainTest.run("certify", "--model", model.toString(), "--data", model.resolve("data.jsonl").toString(),
        "--prompt-length", "4", "--lora-out", lora.toString(), "--json");
    assertEquals("0", cert[0], cert[2]);
    JsonNode out = JSON.readTree(cert[1]);
    Map<String, JsonNode> c = byName(out.get("certificates"));
    for (String name : List.of("shared-token-loss-bound", "prompt-length-bound", "prompt-length-loss-bound",
        "exact-lora-update", "lipschitz", "invertibility")) {
      assertTrue(c.containsKey(name), name + " missing: " + cert[1]);
      for (String key : List.of("name", "applies", "value", "unit", "reason")) assertTrue(c.get(name).has(key), key);
    }
    assertEquals(bound, c.get("shared-token-loss-bound").get("value").asDouble(), 0);
    assertEquals(2, c.get("exact-lora-update").get("value").asInt());
    assertFalse(c.get("invertibility").get("applies").asBoolean(), "bidirectional with a prompt is refused");
    assertTrue(out.get("verdict").asText().startsWith("no prompt of any length"), out.get("verdict").asText());
    assertEquals(model.toString(), JSON.readTree(lora.resolve("adapter_config.json").toFile())
        .get("base_model_name_or_path").asText(), "the adapter names the model it was fitted on");

    String[] eval = MainTest.run("eval", "--model", model.toString(), "--adapter", lora.toString(), "--data",
        model.resolve("data.jsonl").toString(), "--json");
    assertEquals("0", eval[0], eval[2]);
    assertTrue(JSON.readTree(eval[1]).get("loss").asDouble() <= 1e-20, eval[1]);
    String[] noPrompt = MainTest.run("eval", "--model", model.toString(), "--data", model.resolve("data.jsonl").toString(),
        "--json");
    assertTrue(JSON.readTree(noPrompt[1]).get("loss").asDouble() >= c.get("shared-token-loss-bound").get("eval_loss")
        .asDouble(), "the bound covers every prompt, the empty one included");
  }

  @Test
  void aModelOutsideTheSettingIsAnAnswerNotAnError() throws Exception {
    Path data = dir.resolve("tokens.jsonl");
    Files.writeString(data, "{\"tokens\": [1, 2, 3], \"label\": 0}\n{\"tokens\": [3, 2], \"label\": 1}\n");
    String[] r = MainTest.run("certify", "--model", "bert", "--set", "vocabSize=10", "--set", "dModel=8", "--set",
        "heads=2", "--set", "headSize=4", "--set", "mlpHidden=16", "--set", "layers=1", "--data", data.toString(),
        "--radius", "1", "--json");
    assertEquals("0", r[0], r[2]);
    for (JsonNode c : JSON.readTree(r[1]).get("certificates")) {
      assertFalse(c.get("applies").asBoolean(), c.toString());
      assertTrue(c.get("value").isNull() && !c.get("reason").asText().isEmpty(), c.toString());
    }
  }

  @Test
  void badInputIsOneLineExitTwoAndNothingWritten() throws Exception {
    Path out = dir.resolve("never");
    String[] r = MainTest.run("construct", "shared-token", "--ell", "0", "--out", out.toString());
    assertEquals("2", r[0]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertTrue(r[2].contains("--ell"), r[2]);
    assertFalse(Files.exists(out));
    String[] missing = MainTest.run("certify", "--model", "paper", "--data", dir.resolve("nope.jsonl").toString());
    assertEquals("2", missing[0], missing[2]);
    assertEquals(1, missing[2].strip().lines().count(), missing[2]);
  }
}
