package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;

/**
 * The reference adapters of {@code peft-reference/} (PEFT's layout, one per method and task type): each loads, and
 * PTLab's output equals the documented one (expected_output.json) and an independent computation of HF + PEFT's
 * semantics ({@link PeftReference}) to float64 rounding; PTLab's writer writes PEFT's field set and keys for each.
 * Prefix positions follow PEFT (after the prefix); a PTLab adapter saved before that choice was recorded keeps its
 * old meaning (positions from 0), bit for bit.
 */
class PeftReferenceTest {
  /** Float64 sums in another order: ~1e-15 relative; the outputs are O(1). */
  static final double TOLERANCE = 1e-10;

  static Path folder(String name) throws URISyntaxException {
    return Path.of(PeftReferenceTest.class.getResource("/peft-reference/" + name).toURI());
  }

  static Tensor ptlabOutput(TunedModel tuned) {
    return tuned.forward(ModelInput.ofTokens(new int[][] {PeftReferenceFiles.INPUT}), ForwardMode.EVAL);
  }

  /** Row-major values of {@code t} (batch of one) as rows: [C] → one row, [1, T, k] → T rows. */
  static double[][] rows(Tensor t) {
    double[] flat = t.toDoubleArray();
    int width = t.dim(t.rank() - 1);
    double[][] out = new double[flat.length / width][width];
    for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * width, out[i], 0, width);
    return out;
  }

  static double maxDiff(double[][] a, double[][] b) {
    assertEquals(a.length, b.length, "rows");
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i].length, b[i].length, "row " + i);
      for (int j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
    }
    return m;
  }

  static java.util.List<PeftReferenceFiles.Case> cases() {
    return PeftReferenceFiles.CASES;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void loadsAndGivesTheDocumentedOutput(PeftReferenceFiles.Case c) throws Exception {
    Path dir = folder(c.name());
    Transformer base = c.baseModel();
    TunedModel tuned = AdapterFiles.load(dir, base);
    double[][] ptlab = rows(ptlabOutput(tuned));
    double[][] documented = PeftReferenceFiles.expected(dir);
    double[][] reference = PeftReference.of(c.baseModel(), dir).forward(PeftReferenceFiles.INPUT);
    assertTrue(maxDiff(documented, reference) == 0, c.name() + ": the reference computes the documented output");
    double diff = maxDiff(documented, ptlab);
    assertTrue(diff < TOLERANCE, c.name() + ": PTLab differs from the documented output by " + diff);
    double adapterEffect = maxDiff(documented, rows(base.forward(ModelInput.ofTokens(new int[][] {
        PeftReferenceFiles.INPUT}), ForwardHooks.NONE, ForwardMode.EVAL)));
    assertTrue(adapterEffect > 1e-3, c.name() + ": the adapter changes the output (" + adapterEffect + ")");
    assertEquals(c.taskType().equals("SEQ_CLS"), tuned.method(PeftMethod.HEAD) != null, "the head of modules_to_save");
  }

  /** PTLab's writer, on what it loaded: PEFT's config fields (plus "ptlab", less peft_version) and the same keys. */
  @ParameterizedTest
  @MethodSource("cases")
  void ptlabWritesPeftsFieldsAndKeys(PeftReferenceFiles.Case c, @TempDir Path out) throws Exception {
    Path dir = folder(c.name());
    TunedModel tuned = AdapterFiles.load(dir, c.baseModel());
    AdapterFiles.save(tuned, out, "ptlab-test-fixture:" + c.base(), null);
    JsonNode peft = AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
    JsonNode ours = AdapterJson.MAPPER.readTree(out.resolve(AdapterFiles.CONFIG).toFile());
    Set<String> expected = new TreeSet<>();
    peft.fieldNames().forEachRemaining(expected::add);
    expected.remove("peft_version");
    expected.add("ptlab");
    Set<String> written = new TreeSet<>();
    ours.fieldNames().forEachRemaining(written::add);
    assertEquals(expected, written, c.name() + ": adapter_config.json fields");
    for (String same : new String[] {"peft_type", "task_type", "base_model_name_or_path", "inference_mode",
        "modules_to_save", "num_virtual_tokens", "token_dim", "num_layers", "r", "lora_alpha", "rank_pattern"}) {
      if (peft.has(same)) assertEquals(peft.get(same).asText(), ours.get(same).asText(), c.name() + " " + same);
    }
    assertEquals(keys(dir), keys(out), c.name() + ": adapter_model.safetensors keys");
    double diff = maxDiff(rows(ptlabOutput(tuned)), rows(ptlabOutput(AdapterFiles.load(out, c.baseModel()))));
    assertEquals(0.0, diff, c.name() + ": PTLab's file gives PTLab's outputs");
  }

  static Set<String> keys(Path dir) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      return new TreeSet<>(f.names());
    }
  }

  /** The committed folder is exactly what the generator writes (so its README describes real files). */
  @Test
  void committedFilesAreWhatTheGeneratorWrites(@TempDir Path out) throws Exception {
    PeftReferenceFiles.write(out);
    for (PeftReferenceFiles.Case c : PeftReferenceFiles.CASES) {
      for (String file : new String[] {AdapterFiles.CONFIG, AdapterFiles.WEIGHTS, "expected_output.json"}) {
        assertArrayEquals(Files.readAllBytes(out.resolve(c.name()).resolve(file)),
            Files.readAllBytes(folder(c.name()).resolve(file)), c.name() + "/" + file);
      }
    }
  }

  /**
   * Prefix positions: with PEFT's convention the input's position ids start at m_p, and the choice matters (the
   * same prefix with positions from 0 gives other outputs). The PTLab computation equals the shifted reference.
   */
  @Test
  void prefixShiftsTheInputsPositionsAsPeftDoes() throws Exception {
    for (String name : new String[] {"prefix-seq-cls", "prefix-causal-lm", "prefix-feature-extraction"}) {
      Path dir = folder(name);
      PeftReferenceFiles.Case c = PeftReferenceFiles.CASES.stream().filter(k -> k.name().equals(name)).findFirst().get();
      double[][] ptlab = rows(ptlabOutput(AdapterFiles.load(dir, c.baseModel())));
      double[][] shifted = PeftReference.of(c.baseModel(), dir).forward(PeftReferenceFiles.INPUT);
      double[][] fromZero = PeftReference.of(c.baseModel(), dir).positionsFromZero().forward(PeftReferenceFiles.INPUT);
      assertTrue(maxDiff(shifted, ptlab) < TOLERANCE, name + ": PTLab equals the shifted reference");
      assertTrue(maxDiff(fromZero, ptlab) > 1e-3, name + ": and the shift matters");
    }
  }

  /**
   * A PTLab prefix adapter of format 1 (a "ptlab" block without positions_after_prefix) loads with its old meaning,
   * positions from 0: bit for bit the pass PTLab ran before (a prefix hook and no position offset), and equal to the
   * reference with positions from 0. New files record the choice.
   */
  @Test
  void anOldPtlabPrefixAdapterKeepsPositionsFromZero(@TempDir Path dir) throws Exception {
    Transformer m = Fixtures.model(PeftReferenceFiles.classifier());
    PrefixTuning prefix = PrefixTuning.create(PrefixTuningConfig.of(3), m, new Rng(4));
    AdapterFiles.save(TunedModel.of(m, prefix), dir, "tiny", null);
    JsonNode saved = AdapterJson.MAPPER.readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
    assertTrue(saved.get("ptlab").get(PrefixTuning.POSITIONS_FIELD).asBoolean(), "recorded, PEFT's by default");
    ObjectNode old = (ObjectNode) saved;
    ((ObjectNode) old.get("ptlab")).remove(PrefixTuning.POSITIONS_FIELD);
    ((ObjectNode) old.get("ptlab")).put("format_version", 1);
    AtomicFiles.write(dir.resolve(AdapterFiles.CONFIG), AdapterJson.MAPPER.writeValueAsString(old));
    Transformer fresh = Fixtures.model(PeftReferenceFiles.classifier());
    Tensor loaded = ptlabOutput(AdapterFiles.load(dir, fresh));
    ForwardHooks before = new ForwardHooks() { // what PTLab's prefix did before: keys and values only
      @Override
      public Tensor[] prefix(int layer) {
        return prefix.hooks().prefix(layer);
      }
    };
    Tensor old1 = fresh.forward(ModelInput.ofTokens(new int[][] {PeftReferenceFiles.INPUT}), before, ForwardMode.EVAL);
    Fixtures.assertBitEqual(old1, loaded, "format-1 prefix adapter");
    double[][] fromZero = PeftReference.of(fresh, dir).positionsFromZero().forward(PeftReferenceFiles.INPUT);
    assertTrue(maxDiff(fromZero, rows(loaded)) < TOLERANCE, "the reference with positions from 0");
    Tensor peftWay = ptlabOutput(TunedModel.of(m, prefix));
    assertTrue(maxDiff(rows(peftWay), rows(loaded)) > 1e-3, "the new default differs");
  }
}
