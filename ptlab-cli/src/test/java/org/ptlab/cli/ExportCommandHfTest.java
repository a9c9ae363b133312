package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --format hf}: a BertModel folder that {@code --model DIR} reads back; refusals are one line, exit 2. */
class ExportCommandHfTest {
  @TempDir Path tmp;

  @Test
  void miniLmExportedAsHfEmbedsTextAsMiniLmDoes() throws Exception {
    Path hf = tmp.resolve("hf");
    String[] r = MainTest.run("export", "--model", "minilm", "--format", "hf", "--out", hf.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode cfg = org.ptlab.io.Json.MAPPER.readTree(Files.readString(hf.resolve("config.json")));
    assertEquals("bert", cfg.get("model_type").asText());
    assertEquals("BertModel", cfg.get("architectures").get(0).asText());
    assertEquals(384, cfg.get("hidden_size").asInt());
    assertTrue(Files.isRegularFile(hf.resolve("tokenizer.json")), "the tokenizer comes along");
    String[] direct = MainTest.run("embed", "--text", "A man is playing a guitar.", "--json");
    String[] viaHf = MainTest.run("embed", "--model", hf.toString(), "--text", "A man is playing a guitar.", "--json");
    assertEquals("0", viaHf[0], viaHf[2]);
    assertEquals(org.ptlab.io.Json.MAPPER.readTree(direct[1]).get("embedding"),
        org.ptlab.io.Json.MAPPER.readTree(viaHf[1]).get("embedding"));
  }

  @Test
  void modelsWithoutAnHfEquivalentAreRefusedNamingTheReason() {
    Path out = tmp.resolve("x");
    String[] r = MainTest.run("export", "--model", "paper", "--format", "hf", "--out", out.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--format hf") && r[2].contains("paper preset"), r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertFalse(Files.exists(out.resolve("config.json")));
    r = MainTest.run("export", "--model", "gpt", "--set", "typeVocabSize=2", "--format", "hf", "--out", out.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("token-type") && r[2].contains("GPT2LMHeadModel"), r[2]);
    r = MainTest.run("export", "--model", "gpt", "--set", "causal=false", "--format", "hf", "--out", out.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("norm PRE") && r[2].contains("BertModel"), r[2]);
    r = MainTest.run("export", "--model", "bert", "--format", "onnx", "--out", out.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--format"), r[2]);
  }

  /** The gpt preset (exact GELU, byte vocabulary) is a GPT2LMHeadModel with an untied head; it reads back the same. */
  @Test
  void theGptPresetIsWrittenAsGpt2AndReadBack() throws Exception {
    Path hf = tmp.resolve("g2");
    String[] r = MainTest.run("export", "--model", "gpt", "--set", "layers=1", "--format", "hf", "--out", hf.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode cfg = org.ptlab.io.Json.MAPPER.readTree(Files.readString(hf.resolve("config.json")));
    assertEquals("gpt2", cfg.get("model_type").asText());
    assertEquals("GPT2LMHeadModel", cfg.get("architectures").get(0).asText());
    assertEquals("gelu", cfg.get("activation_function").asText());
    assertFalse(cfg.get("tie_word_embeddings").asBoolean());
    Path again = tmp.resolve("g2again");
    r = MainTest.run("export", "--model", hf.toString(), "--format", "hf", "--out", again.toString());
    assertEquals("0", r[0], r[2]);
    assertEquals(-1, Files.mismatch(hf.resolve("model.safetensors"), again.resolve("model.safetensors")));
    assertEquals(Files.readString(hf.resolve("config.json")), Files.readString(again.resolve("config.json")));
  }

  /**
   * A tiny byte-level BPE tokenizer.json (the 256 byte symbols, id = byte, and the merges Ġ t, h e, Ġt he → 256,
   * 257, 258): enough for a GPT-2 folder to read text.
   */
  static String tinyBpeTokenizer(boolean withMerges) {
    java.util.Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      vocab.put(String.valueOf((char) (printable ? b : 256 + n++)), b);
    }
    vocab.put("Ġt", 256);
    vocab.put("he", 257);
    vocab.put("Ġthe", 258);
    java.util.Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("vocab", vocab);
    if (withMerges) model.put("merges", java.util.List.of("Ġ t", "h e", "Ġt he"));
    return org.ptlab.io.Json.write(java.util.Map.of("model", model, "pre_tokenizer",
        java.util.Map.of("type", "ByteLevel", "add_prefix_space", false), "decoder", java.util.Map.of("type", "ByteLevel")));
  }

  /** A GPT-2 folder with a byte-level BPE tokenizer.json reads text where the CLI reads text, and keeps it on export. */
  @Test
  void aGpt2FolderWithABpeTokenizerReadsText() throws Exception {
    Path hf = tmp.resolve("g2");
    String[] r = MainTest.run("export", "--model", "gpt", "--set", "layers=1", "--set", "vocabSize=259", "--format",
        "hf", "--out", hf.toString());
    assertEquals("0", r[0], r[2]);
    Files.writeString(hf.resolve("tokenizer.json"), tinyBpeTokenizer(true));
    Path data = tmp.resolve("lm.jsonl");
    Files.writeString(data, "{\"text\": \"the thing\"}\n{\"text\": \"naïve café 🙂 the end\"}\n");
    r = MainTest.run("eval", "--model", hf.toString(), "--data", data.toString(), "--json");
    assertEquals("0", r[0], r[2]);
    Path copy = tmp.resolve("copy");
    r = MainTest.run("export", "--model", hf.toString(), "--format", "hf", "--out", copy.toString());
    assertEquals("0", r[0], r[2]);
    assertEquals(Files.readString(hf.resolve("tokenizer.json")), Files.readString(copy.resolve("tokenizer.json")));
  }

  @Test
  void aSmallBertRoundTripsThroughBothFormats() throws Exception {
    Path hf = tmp.resolve("hf");
    String[] r = MainTest.run("export", "--model", "bert", "--set", "layers=1", "--format", "hf", "--out",
        hf.toString());
    assertEquals("0", r[0], r[2]);
    Path pt = tmp.resolve("pt");
    r = MainTest.run("export", "--model", hf.toString(), "--out", pt.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(Files.readString(pt.resolve("config.json")).contains("\"dModel\""), "default format is PTLab's");
    assertEquals(Files.size(hf.resolve("model.safetensors")), Files.size(pt.resolve("model.safetensors")));
  }
}
