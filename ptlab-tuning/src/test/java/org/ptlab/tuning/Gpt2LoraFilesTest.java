package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptlab.io.model.HfGpt2Weights;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;

/**
 * LoRA on a model that export --format hf writes as GPT-2 is saved in GPT2LMHeadModel's names (c_attn fusing query,
 * key and value exactly), PEFT's computation on that file (in GPT-2's layout, {@link PeftGpt2Reference}) is PTLab's
 * output to float64 rounding, and reading it back gives PTLab's tensors and outputs bit for bit. GPT-2 module names
 * PTLab cannot map, and per-module ranks or scalings its one LoRA cannot hold, are refused in one line.
 */
class Gpt2LoraFilesTest {
  static Transformer gpt() {
    return Fixtures.model(Fixtures.tinyGpt(DType.F64));
  }

  static Tensor output(TunedModel t) {
    return PeftReferenceTest.ptlabOutput(t);
  }

  static Stream<Arguments> loras() {
    return Stream.of(
        Arguments.of("every projection", new LoraConfig(2, 5, 0, List.of("q", "k", "v", "o", "mlp_in", "mlp_out"), false)),
        Arguments.of("q, v with rsLoRA", new LoraConfig(3, 4, 0, List.of("q", "v"), true)),
        Arguments.of("per layer", new LoraConfig(2, 3.5, 0, List.of("encoder\\.layer\\.0\\.attention\\.self\\.(query|value)",
            "encoder\\.layer\\.1\\.attention\\.self\\.key", "o"), false)),
        Arguments.of("mlp only", new LoraConfig(4, 8, 0, List.of("mlp_in", "mlp_out"), false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loras")
  void writtenInGpt2NamesAndReadBackBitForBit(String name, LoraConfig config, @TempDir Path out) throws Exception {
    Transformer m = gpt();
    Lora lora = Lora.create(config, m, new Rng(3));
    long seed = 100;
    for (Tensor t : lora.trainable().values()) Fixtures.randomize(t, 0.3, seed++); // B is 0 at init
    TunedModel tuned = TunedModel.of(m, lora);
    AdapterFiles.save(tuned, out, "gpt", null);

    // PEFT's keys for GPT2LMHeadModel: every module is one the exported model has
    Set<String> exported = HfGpt2Weights.write(m.parameters().all(), m.config(), true).keySet();
    Set<String> keys = PeftReferenceTest.keys(out);
    for (String k : keys) {
      assertTrue(k.startsWith("base_model.model.transformer.h."), k);
      String module = k.substring("base_model.model.".length()).replaceFirst("\\.lora_[AB]\\.weight$", "");
      assertTrue(exported.contains(module + ".weight"), k + " names a module of the exported GPT-2");
    }
    JsonNode c = AdapterJson.MAPPER.readTree(out.resolve(AdapterFiles.CONFIG).toFile());
    assertTrue(c.get("fan_in_fan_out").asBoolean(), "PEFT's setting for Conv1D");
    assertEquals(config.rsLora(), c.get("use_rslora").asBoolean());

    // PEFT's semantics of the file, computed in GPT-2's layout, is PTLab's output
    double[][] ptlab = PeftReferenceTest.rows(output(tuned));
    double[][] peft = PeftReference.of(gpt(), out).forward(PeftReferenceFiles.INPUT);
    double diff = PeftReferenceTest.maxDiff(ptlab, peft);
    assertTrue(diff < PeftReferenceTest.TOLERANCE, name + ": PEFT's output of the file differs by " + diff);
    double effect = PeftReferenceTest.maxDiff(ptlab, PeftReferenceTest.rows(output(TunedModel.of(gpt()))));
    assertTrue(effect > 1e-3, name + ": the LoRA changes the output (" + effect + ")");

    // read back: the same LoRA (modules, rank, scaling, tensors) and the same outputs, bit for bit
    TunedModel back = AdapterFiles.load(out, gpt());
    Lora read = (Lora) back.method(PeftMethod.LORA);
    assertEquals(lora.modules(), read.modules(), name + ": modules");
    assertEquals(config.r(), read.config().r(), name + ": rank");
    assertEquals(config.scaling(), read.config().scaling(), name + ": scaling, exactly");
    Fixtures.assertSameTensors(lora.trainable(), read.trainable(), name);
    Fixtures.assertBitEqual(output(tuned), output(back), name + ": outputs");
    assertTrue(read.gpt2Names(), "saved again in GPT-2's names");
  }

  @Test
  void cAttnFusesThePresentProjectionsWithTheirScaling(@TempDir Path out) throws Exception {
    Transformer m = gpt();
    Lora lora = Lora.create(new LoraConfig(2, 6, 0, List.of("q", "v", "o"), false), m, new Rng(1));
    AdapterFiles.save(TunedModel.of(m, lora), out, "gpt", null);
    JsonNode c = AdapterJson.MAPPER.readTree(out.resolve(AdapterFiles.CONFIG).toFile());
    assertEquals(2, c.get("r").asInt(), "c_proj's rank");
    assertEquals(6, c.get("lora_alpha").asInt());
    assertEquals(4, c.get("rank_pattern").get("c_attn").asInt(), "query and value stacked: rank 2·2");
    assertEquals(12, c.get("alpha_pattern").get("c_attn").asInt(), "alpha·2: scaling 12/4 = 6/2");
    assertEquals(List.of("c_attn", "attn.c_proj"), AdapterJson.MAPPER.convertValue(c.get("target_modules"), List.class));
    Map<String, Tensor> t = new java.util.LinkedHashMap<>();
    try (var f = org.ptlab.io.safetensors.SafetensorsFile.open(out.resolve(AdapterFiles.WEIGHTS))) {
      for (String k : f.names()) t.put(k, f.tensor(k, DType.F64));
    }
    String h = "base_model.model.transformer.h.0.attn.c_attn.";
    assertEquals("[4, 16]", Fixtures.shape(t.get(h + "lora_A.weight")));
    assertEquals("[48, 4]", Fixtures.shape(t.get(h + "lora_B.weight")));
  }

  /** The rule is export's: a decoder GPT-2 cannot express, and every BERT-family model, keep BERT's names. */
  @Test
  void otherModelsKeepBertNames(@TempDir Path dir) throws Exception {
    TransformerConfig noBias = ConfigJson.withOverrides(Fixtures.tinyGpt(DType.F64), Map.of("attentionBias", "false"));
    for (TransformerConfig config : List.of(noBias, Fixtures.tinyBert(), Fixtures.tinyClassifier(3,
        TransformerConfig.Pooling.MEAN))) {
      Transformer m = Fixtures.model(config);
      Path out = dir.resolve("m" + config.hashCode());
      AdapterFiles.save(TunedModel.of(m, Lora.create(LoraConfig.of(2), m, new Rng(1))), out, "x", null);
      for (String k : PeftReferenceTest.keys(out)) assertTrue(k.contains("encoder.layer."), k);
      assertFalse(AdapterJson.MAPPER.readTree(out.resolve(AdapterFiles.CONFIG).toFile()).get("fan_in_fan_out").asBoolean());
    }
  }

  /** A copy of the GPT-2 reference adapter to damage. */
  static Path reference(Path dir) throws Exception {
    Path src = PeftReferenceTest.folder("lora-gpt2-causal-lm");
    Files.createDirectories(dir);
    for (String f : new String[] {AdapterFiles.CONFIG, AdapterFiles.WEIGHTS}) Files.copy(src.resolve(f), dir.resolve(f));
    return dir;
  }

  static void rejected(Path dir, Transformer model, String... parts) {
    Exception e = assertThrows(IllegalArgumentException.class, () -> AdapterFiles.load(dir, model));
    Fixtures.assertOneLine(e.getMessage());
    for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
  }

  static void rename(Path dir, String from, String to) throws IOException {
    AdapterRejectionTest.editTensors(dir, t -> {
      for (String m : new String[] {"A", "B"}) {
        t.put(to + ".lora_" + m + ".weight", t.remove(from + ".lora_" + m + ".weight"));
      }
    });
  }

  static final String H0 = "base_model.model.transformer.h.0.";

  @Test
  void gpt2ModulesPtlabCannotMapAreNamed(@TempDir Path dir) throws Exception {
    Path q = reference(dir.resolve("q"));
    rename(q, H0 + "attn.c_attn", H0 + "attn.q_attn");
    rejected(q, gpt(), "'transformer.h.0.attn.q_attn' is not in the model", "attn.c_attn");
    Path deep = reference(dir.resolve("deep"));
    rename(deep, H0 + "attn.c_attn", "base_model.model.transformer.h.2.attn.c_attn"); // tinyGpt has 2 layers
    rejected(deep, gpt(), "'transformer.h.2.attn.c_attn'", "h.1");
    Path wte = reference(dir.resolve("wte"));
    rename(wte, H0 + "attn.c_attn", "base_model.model.transformer.wte");
    rejected(wte, gpt(), "'transformer.wte'");
    rejected(reference(dir.resolve("bert")), Fixtures.model(Fixtures.tinyBert()), "'transformer.h.0.attn.c_attn' is not in the model");
  }

  @Test
  void oneNamingPerFile(@TempDir Path dir) throws Exception {
    Path mixed = reference(dir);
    AdapterRejectionTest.editTensors(mixed, t -> {
      t.put("base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight", Tensor.zeros(DType.F64, 4, 16));
      t.put("base_model.model.bert.encoder.layer.0.attention.self.key.lora_B.weight", Tensor.zeros(DType.F64, 16, 4));
    });
    rejected(mixed, gpt(), "GPT-2's names", "one naming per adapter");
  }

  @Test
  void ranksAndScalingsOneLoraCannotHoldAreRefused(@TempDir Path dir) throws Exception {
    Path rank = reference(dir.resolve("rank"));
    AdapterRejectionTest.editConfig(rank, c -> c.putObject("rank_pattern").put("h.0.attn.c_attn", 8));
    AdapterRejectionTest.editTensors(rank, t -> {
      t.put(H0 + "attn.c_attn.lora_A.weight", Tensor.ones(DType.F64, 8, 16));
      t.put(H0 + "attn.c_attn.lora_B.weight", Tensor.ones(DType.F64, 48, 8));
    });
    rejected(rank, gpt(), "has scaling 2.0 (rank 4)", "1.0 (rank 8)", "one scaling"); // alpha 8 on both
    Path alpha = reference(dir.resolve("alpha"));
    AdapterRejectionTest.editConfig(alpha, c -> c.putObject("alpha_pattern").put("mlp.c_proj", 16));
    rejected(alpha, gpt(), "'transformer.h.0.mlp.c_proj' has scaling 4.0", "one scaling");
    Path regex = reference(dir.resolve("regex"));
    AdapterRejectionTest.editConfig(regex, c -> c.putObject("rank_pattern").put("c_(attn", 4));
    rejected(regex, gpt(), "\"rank_pattern\" key 'c_(attn' is not a regular expression");
    Path fifo = reference(dir.resolve("fifo"));
    AdapterRejectionTest.editConfig(fifo, c -> c.put("fan_in_fan_out", "yes"));
    rejected(fifo, gpt(), "\"fan_in_fan_out\"");
  }

  /** A pattern giving every module the same rank and scaling is read as PEFT reads it. */
  @Test
  void patternsThatAgreeAreRead(@TempDir Path dir) throws Exception {
    Path ref = reference(dir);
    AdapterRejectionTest.editConfig(ref, c -> {
      c.put("lora_alpha", 3);
      c.putObject("alpha_pattern").put("c_attn", 8).put("c_proj", 8);
    });
    double[][] ptlab = PeftReferenceTest.rows(output(AdapterFiles.load(ref, gpt())));
    double[][] documented = PeftReferenceFiles.expected(PeftReferenceTest.folder("lora-gpt2-causal-lm"));
    assertTrue(PeftReferenceTest.maxDiff(documented, ptlab) < PeftReferenceTest.TOLERANCE);
  }

  /**
   * PEFT saving PTLab's file again drops the "ptlab" block: c_attn (rank 2·r, alpha·2) is then read as three
   * projections sharing A, c_proj's rank r padded with zeros to 2·r; the same update, so the same outputs to rounding.
   */
  @Test
  void withoutPtlabsRecordStackedRanksArePadded(@TempDir Path out) throws Exception {
    Transformer m = gpt();
    Lora lora = Lora.create(new LoraConfig(2, 6, 0, List.of("q", "v", "o", "mlp_out"), false), m, new Rng(1));
    long seed = 7;
    for (Tensor t : lora.trainable().values()) Fixtures.randomize(t, 0.3, seed++);
    TunedModel tuned = TunedModel.of(m, lora);
    AdapterFiles.save(tuned, out, "gpt", null);
    AdapterRejectionTest.editConfig(out, c -> c.remove("ptlab"));
    Lora read = (Lora) AdapterFiles.load(out, gpt()).method(PeftMethod.LORA);
    assertEquals(4, read.config().r(), "c_attn's rank, c_proj's padded to it");
    assertEquals(lora.config().scaling(), read.config().scaling());
    double diff = PeftReferenceTest.maxDiff(PeftReferenceTest.rows(output(tuned)),
        PeftReferenceTest.rows(output(TunedModel.of(gpt(), read))));
    assertTrue(diff < PeftReferenceTest.TOLERANCE, "differs by " + diff);
  }

  @Test
  void ptlabsRecordMustBeWellFormed(@TempDir Path dir) throws Exception {
    Path bad = reference(dir);
    AdapterRejectionTest.editConfig(bad, c -> c.putObject("ptlab").putObject("projections").put("r", "two"));
    rejected(bad, gpt(), "\"ptlab\".\"projections\"");
  }
}
