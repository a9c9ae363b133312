package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.AtomicFiles;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Issue 16 item 5: a size in adapter_config.json is checked against the weights file before anything is
 * allocated, so {@code num_virtual_tokens: 100000000} or {@code r: 10000000} is a quick one-line error, not an
 * out-of-memory error. Each row saves a real adapter, inflates one field of its config, and loads it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AdapterSizeTest {
  @TempDir Path dir;

  private static Transformer model() {
    return Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
  }

  /** Saves {@code method}, sets {@code field} to {@code value} in the config, and expects a one-line refusal. */
  private void inflated(String name, TuningMethod method, Transformer m, String field, long value) throws IOException {
    Path out = dir.resolve(name);
    AdapterFiles.save(TunedModel.of(m, method), out, null);
    ObjectNode c = (ObjectNode) AdapterJson.MAPPER.readTree(out.resolve(AdapterFiles.CONFIG).toFile());
    c.put(field, value);
    AtomicFiles.write(out.resolve(AdapterFiles.CONFIG), AdapterJson.MAPPER.writeValueAsString(c));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdapterFiles.load(out, model()));
    Fixtures.assertOneLine(e.getMessage());
    assertTrue(e.getMessage().startsWith(out.resolve(AdapterFiles.WEIGHTS) + ": tensor '"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(value)), e.getMessage());
  }

  @Test
  void promptLengthFromTheConfigMustMatchTheFile() throws IOException {
    Transformer m = model();
    var pt = PromptTuning.create(new PromptTuningConfig(4, PromptInit.RANDOM, 0.5, null, null, 0, 0, null), m,
        new Rng(1));
    inflated("prompt", pt, m, "num_virtual_tokens", 100_000_000);
  }

  @Test
  void prefixLengthFromTheConfigMustMatchTheFile() throws IOException {
    Transformer m = model();
    inflated("prefix", PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(1)), m, "num_virtual_tokens",
        100_000_000);
  }

  @Test
  void loraRankFromTheConfigMustMatchTheFile() throws IOException {
    Transformer m = model();
    Lora lora = Lora.create(new LoraConfig(2, 4, 0, List.of("query", "value"), false), m, new Rng(1));
    inflated("lora", lora, m, "r", 10_000_000);
  }

  @Test
  void headOutputsFromTheConfigMustMatchTheFile() throws IOException {
    Transformer m = model();
    Path out = dir.resolve("head");
    AdapterFiles.save(TunedModel.of(m, ModulesToSave.ofHead(m)), out, null);
    Path config = out.resolve(AdapterFiles.PART_CONFIG); // a head alone is saved as a model part
    ObjectNode head = AdapterJson.object().put("kind", "CLASSIFY").put("outputs", 3);
    assertEquals(3, AdapterFiles.headOutputs(config, head));
    head.put("outputs", 100_000_000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdapterFiles.headOutputs(config, head));
    Fixtures.assertOneLine(e.getMessage());
    assertTrue(e.getMessage().contains("100000000") && e.getMessage().contains("3 rows"), e.getMessage());
    head.put("outputs", 2.5);
    assertThrows(IllegalArgumentException.class, () -> AdapterFiles.headOutputs(config, head));
  }
}
