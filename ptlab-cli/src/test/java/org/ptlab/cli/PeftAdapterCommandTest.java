package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Adapters with PEFT's semantics through the command line: what is trained beside a method (a classifier, not
 * lm_head, unless --train-head), what is written (base_model_name_or_path, peft_type, a model part for a head
 * alone), --prompt-position 1 refused unless allowed, and a PEFT classification adapter sized from its saved
 * classifier rather than from the evaluation data's labels.
 */
class PeftAdapterCommandTest {
  static final String[] GPT = {"--model", "gpt", "--set", "vocabSize=40,dModel=16,layers=1,heads=2,headSize=8,"
      + "mlpHidden=32,maxPositions=32"};
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static String[] cmd(String command, String[] model, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(model));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  Path lmData() throws Exception {
    Rng rng = new Rng(5);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      StringBuilder sb = new StringBuilder("{\"tokens\":[");
      for (int j = 0; j < 6; j++) sb.append(j == 0 ? "" : ",").append(1 + rng.nextInt(39));
      lines.add(sb.append("]}").toString());
    }
    return Files.write(dir.resolve("lm.jsonl"), lines);
  }

  JsonNode config(Path adapter) throws Exception {
    return JSON.readTree(adapter.resolve("adapter_config.json").toFile());
  }

  /** PEFT's CAUSAL_LM trains the prompt alone; --train-head adds lm_head, saved as modules_to_save. */
  @Test
  void causalLmTrainsNoHeadUnlessAsked() throws Exception {
    Path data = lmData();
    String[] plain = MainTest.run(cmd("tune", GPT, "--method", "prompt", "--prompt-length", "3", "--data",
        data.toString(), "--epochs", "1", "--out", dir.resolve("a").toString(), "--json", "--quiet"));
    assertEquals("0", plain[0], plain[2]);
    assertEquals(3 * 16, JSON.readTree(plain[1]).get("trainable_params").asInt(), "the prompt alone");
    JsonNode c = config(dir.resolve("a/adapter"));
    assertEquals("CAUSAL_LM", c.get("task_type").asText());
    assertTrue(c.get("modules_to_save").isNull());
    assertEquals("gpt", c.get("base_model_name_or_path").asText());
    String[] head = MainTest.run(cmd("tune", GPT, "--method", "prompt", "--prompt-length", "3", "--train-head",
        "--data", data.toString(), "--epochs", "1", "--out", dir.resolve("b").toString(), "--json", "--quiet"));
    assertEquals("0", head[0], head[2]);
    assertEquals(3 * 16 + 40 * 16 + 40, JSON.readTree(head[1]).get("trainable_params").asInt(), "prompt + lm_head");
    assertEquals("lm_head", config(dir.resolve("b/adapter")).get("modules_to_save").get(0).asText());
    String[] eval = MainTest.run(cmd("eval", GPT, "--adapter", dir.resolve("b/adapter").toString(), "--data",
        data.toString(), "--json"));
    assertEquals("0", eval[0], eval[2]);
    assertEquals(JSON.readTree(head[1]).get("train").get("loss").asDouble(), JSON.readTree(eval[1]).get("loss").asDouble(),
        1e-6); // float32, other batching: summation order only
  }

  /** A prefix run evaluates to its trained loss (positions after the prefix on both sides), and says so. */
  @Test
  void prefixAndHeadRunsWriteWhatPeftWrites() throws Exception {
    Path train = TinyTask.data(dir, "train.jsonl", 1, 24);
    String[] r = MainTest.run(TinyTask.cmd("tune", "--method", "prefix", "--prompt-length", "2", "--data",
        train.toString(), "--epochs", "1", "--out", dir.resolve("p").toString(), "--json", "--quiet"));
    assertEquals("0", r[0], r[2]);
    JsonNode c = config(dir.resolve("p/adapter"));
    assertEquals("PREFIX_TUNING", c.get("peft_type").asText());
    assertEquals("bert", c.get("base_model_name_or_path").asText());
    assertTrue(c.get("ptlab").get("positions_after_prefix").asBoolean());
    assertEquals("classifier", c.get("modules_to_save").get(0).asText());
    String[] e = MainTest.run(TinyTask.cmd("eval", "--adapter", dir.resolve("p/adapter").toString(), "--data",
        train.toString(), "--json"));
    assertEquals("0", e[0], e[2]);
    // float32 model, eval batches of 32 vs the trainer's: summation order only (wrong positions move it by ~1e-2)
    assertEquals(JSON.readTree(r[1]).get("train").get("loss").asDouble(), JSON.readTree(e[1]).get("loss").asDouble(), 1e-6);
    String[] h = MainTest.run(TinyTask.cmd("tune", "--method", "head", "--data", train.toString(), "--epochs", "1",
        "--out", dir.resolve("h").toString(), "--json", "--quiet"));
    assertEquals("0", h[0], h[2]);
    assertFalse(Files.exists(dir.resolve("h/adapter/adapter_config.json")), "a head alone is no PEFT adapter");
    assertEquals("classifier", JSON.readTree(dir.resolve("h/adapter/model_part.json").toFile()).get("module").asText());
    String[] he = MainTest.run(TinyTask.cmd("eval", "--adapter", dir.resolve("h/adapter").toString(), "--data",
        train.toString(), "--json"));
    assertEquals("0", he[0], he[2]);
    assertEquals(JSON.readTree(h[1]).get("train").get("loss").asDouble(), JSON.readTree(he[1]).get("loss").asDouble(), 1e-6);
  }

  /** --prompt-position 1 exists only under "ptlab": refused unless allowed, and then the file says so at the top. */
  @Test
  void promptPositionOneNeedsTheFlagAndIsNoted() throws Exception {
    Path train = TinyTask.data(dir, "train.jsonl", 2, 16);
    Path out = dir.resolve("never");
    String[] r = MainTest.run(TinyTask.cmd("tune", "--method", "prompt", "--prompt-length", "2", "--prompt-position",
        "1", "--data", train.toString(), "--out", out.toString(), "--quiet"));
    TinyTask.assertBadInput(r, "--allow-ptlab-only-prompt-position");
    assertFalse(Files.exists(out));
    String[] ok = MainTest.run(TinyTask.cmd("tune", "--method", "prompt", "--prompt-length", "2", "--prompt-position",
        "1", "--allow-ptlab-only-prompt-position", "--data", train.toString(), "--epochs", "1", "--out",
        dir.resolve("ok").toString(), "--quiet"));
    assertEquals("0", ok[0], ok[2]);
    JsonNode c = config(dir.resolve("ok/adapter"));
    assertEquals(1, c.get("ptlab").get("prompt_position").asInt());
    assertTrue(c.get("ptlab_prompt_position_not_peft").asText().contains("PEFT"), c.toString());
  }

  /**
   * A PEFT SEQ_CLS adapter (no "ptlab" block) with a 3-class classifier evaluates on a file whose labels are only
   * 0 and 1: the head is sized from classifier.weight [3, d], not from the data. A label past the classifier is
   * bad input.
   */
  @Test
  void aPeftClassifierIsSizedFromItsSavedWeight() throws Exception {
    Path adapter = Files.createDirectories(dir.resolve("peft"));
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("prompt_embeddings", Tensor.randn(new Rng(1), DType.F32, 0.5, 2, 16));
    t.put("base_model.classifier.weight", Tensor.randn(new Rng(2), DType.F32, 0.5, 3, 16));
    t.put("base_model.classifier.bias", Tensor.randn(new Rng(3), DType.F32, 0.5, 3));
    SafetensorsWriter.write(adapter.resolve("adapter_model.safetensors"), t, Map.of("format", "pt"));
    Files.writeString(adapter.resolve("adapter_config.json"), """
        {"auto_mapping": null, "base_model_name_or_path": "bert", "inference_mode": true,
         "modules_to_save": ["classifier", "score"], "num_attention_heads": 2, "num_layers": 1,
         "num_transformer_submodules": 1, "num_virtual_tokens": 2, "peft_type": "PROMPT_TUNING",
         "peft_version": "0.17.1", "prompt_tuning_init": "RANDOM", "prompt_tuning_init_text": null,
         "revision": null, "task_type": "SEQ_CLS", "token_dim": 16, "tokenizer_kwargs": null,
         "tokenizer_name_or_path": null}
        """);
    Path twoClasses = Files.writeString(dir.resolve("two.jsonl"), "{\"tokens\":[1,5,9],\"label\":0}\n"
        + "{\"tokens\":[2,30,7],\"label\":1}\n");
    String[] e = MainTest.run(TinyTask.cmd("eval", "--adapter", adapter.toString(), "--data", twoClasses.toString(),
        "--json"));
    assertEquals("0", e[0], e[2]);
    assertEquals(2, JSON.readTree(e[1]).get("n").asInt());
    Path tooHigh = Files.writeString(dir.resolve("high.jsonl"), "{\"tokens\":[1,5,9],\"label\":3}\n");
    TinyTask.assertBadInput(MainTest.run(TinyTask.cmd("eval", "--adapter", adapter.toString(), "--data",
        tooHigh.toString())), "high.jsonl");
  }
}
