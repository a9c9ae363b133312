package org.ptlab.tuning.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.onnx.OnnxModelException;
import org.ptlab.io.onnx.OnnxWeights;
import org.ptlab.io.onnx.proto.Onnx;
import org.ptlab.io.safetensors.SafetensorsException;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.ModulesToSave;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Issue 16's fuzz check, small enough for CI: 10,000 mutants of valid files (fixed seeds) through the safetensors
 * reader, the ONNX reader and the adapter reader. Each mutant must read or fail with the reader's own exception
 * (SafetensorsException, OnnxModelException; IllegalArgumentException for an adapter, which the CLI turns into exit
 * 2) with a one-line message. Anything else (an NPE, an out-of-memory error, an index error) is a finding, listed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FuzzReadersTest {
  static final int SAFETENSORS = 4000;
  static final int ONNX = 3000;
  static final int ADAPTERS = 3000;

  @TempDir Path dir;
  private final List<String> findings = new ArrayList<>();

  /** Runs one input; an exception of {@code allowed} with a one-line message is a pass, anything else a finding. */
  private void attempt(String reader, int input, Class<? extends Throwable> allowed, Check check) {
    try {
      check.run();
    } catch (Throwable t) { // out-of-memory and stack overflow included: they are what a hostile file aims for
      boolean own = allowed.isInstance(t) && t.getMessage() != null && t.getMessage().lines().count() == 1
          && !t.getMessage().contains("\r");
      if (!own && findings.size() < 50) findings.add(reader + " #" + input + ": " + t + where(t));
    }
  }

  /** The first PTLab frame of {@code t}'s trace: where a finding is to be fixed. */
  private static String where(Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith("org.ptlab.") && !e.getClassName().contains(".fuzz.")) return " at " + e;
    }
    return "";
  }

  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  private void assertNoFindings() {
    assertTrue(findings.isEmpty(), findings.size() + " findings:\n" + String.join("\n", findings));
  }

  @Test
  void safetensorsReader() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.rand(new Rng(1), DType.F32, -1, 1, 2, 3));
    tensors.put("b.weight", Tensor.rand(new Rng(2), DType.F64, -1, 1, 4));
    tensors.put("c", Tensor.rand(new Rng(3), DType.F32, -1, 1, 3, 1, 2));
    Path base = dir.resolve("base.safetensors");
    SafetensorsWriter.write(base, tensors, Map.of("format", "pt"));
    byte[] f32 = Files.readAllBytes(base);
    SafetensorsWriter.write(base, tensors, Map.of("format", "pt"), DType.F32); // BF16/F16 come from dtype mutants
    byte[] plain = Files.readAllBytes(base);
    Mutator m = new Mutator(16_001);
    Path file = dir.resolve("fuzz.safetensors");
    for (int i = 0; i < SAFETENSORS; i++) {
      byte[] in = i % 2 == 0 ? f32 : plain;
      byte[] mutant = m.rng.nextInt(3) == 0 ? m.bytes(in) : headerMutant(in, m);
      Files.write(file, mutant);
      attempt("safetensors", i, SafetensorsException.class, () -> readAll(file));
    }
    assertNoFindings();
  }

  /** The header JSON edited as values (dtype, shape, offsets, metadata), re-framed with a right or wrong length. */
  private static byte[] headerMutant(byte[] file, Mutator m) throws IOException {
    int n = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    JsonNode header = AdapterJson.MAPPER.readTree(new String(file, 8, n, StandardCharsets.UTF_8));
    m.json(header);
    byte[] json = AdapterJson.MAPPER.writeValueAsBytes(header);
    if (m.rng.nextInt(4) == 0) json = m.bytes(json);
    long length = m.rng.nextInt(10) == 0 ? new long[] {0, -1, 1L << 40, json.length + 1, 7}[m.rng.nextInt(5)]
        : json.length;
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(length).put(json).put(file, 8 + n, file.length - 8 - n);
    return out.array();
  }

  private static void readAll(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      f.metadata();
      for (String name : f.names()) {
        SafetensorsFile.Entry e = f.entry(name);
        f.tensor(name, DType.F64);
        f.tensor(name, DType.F32, e.shape());
        if (e.dtype().startsWith("I") || e.dtype().startsWith("U")) f.longs(name);
      }
    }
  }

  @Test
  void onnxReader() {
    TransformerConfig config = Fixtures.tinyBert().toBuilder().maxPositions(8).vocabSize(12).build();
    Onnx.ModelProto model = TinyOnnx.build(config);
    assertEquals(Transformer.create(config, new Rng(1)).parameters().all().size(),
        OnnxWeights.read(model.toByteArray(), "tiny.onnx", config).size(), "the unmutated model reads");
    Mutator m = new Mutator(16_002);
    for (int i = 0; i < ONNX; i++) {
      Onnx.ModelProto edited = m.rng.nextBoolean() ? TinyOnnx.mutate(model, m.rng) : model;
      byte[] mutant = edited == model || m.rng.nextInt(3) == 0 ? m.bytes(edited.toByteArray()) : edited.toByteArray();
      attempt("onnx", i, OnnxModelException.class, () -> OnnxWeights.read(mutant, "fuzz.onnx", config));
    }
    assertNoFindings();
  }

  @Test
  void adapterReader() throws IOException {
    TransformerConfig config = Fixtures.tinyClassifier(3, Pooling.MEAN);
    List<Path> bases = savedAdapters(config);
    Mutator m = new Mutator(16_003);
    for (int i = 0; i < ADAPTERS; i++) {
      Path base = bases.get(m.rng.nextInt(bases.size()));
      boolean part = Files.exists(base.resolve(AdapterFiles.PART_CONFIG)); // the head alone: a model part
      String configName = part ? AdapterFiles.PART_CONFIG : AdapterFiles.CONFIG;
      String weightsName = part ? AdapterFiles.PART_WEIGHTS : AdapterFiles.WEIGHTS;
      Path work = Files.createDirectories(dir.resolve(part ? "work-part" : "work"));
      byte[] json = Files.readAllBytes(base.resolve(configName));
      byte[] weights = Files.readAllBytes(base.resolve(weightsName));
      int kind = m.rng.nextInt(10);
      if (kind < 7) {
        JsonNode c = AdapterJson.MAPPER.readTree(json);
        m.json(c);
        json = AdapterJson.MAPPER.writeValueAsBytes(c);
      } else if (kind < 9) {
        json = m.bytes(json);
      } else {
        weights = m.rng.nextBoolean() ? m.bytes(weights) : headerMutant(weights, m);
      }
      Files.write(work.resolve(configName), json);
      Files.write(work.resolve(weightsName), weights);
      attempt("adapter", i, IllegalArgumentException.class, () -> loadAsEvalDoes(work, config));
    }
    assertNoFindings();
  }

  /** What eval does with an adapter folder: the head from "ptlab.head", then the adapter on a fresh model. */
  private static void loadAsEvalDoes(Path folder, TransformerConfig config) throws IOException {
    Path configFile = folder.resolve(AdapterFiles.CONFIG);
    if (!Files.exists(configFile)) configFile = folder.resolve(AdapterFiles.PART_CONFIG);
    JsonNode head;
    try {
      head = AdapterJson.MAPPER.readTree(configFile.toFile()).path("ptlab").path("head");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      head = null; // the adapter reader names the malformed JSON below
    }
    if (head != null && head.isObject()) AdapterFiles.headOutputs(configFile, head);
    AdapterFiles.load(folder, Transformer.create(config, new Rng(1)));
  }

  /** One saved adapter per method (prompt and LoRA with a trained head, prefix, head alone), as PTLab writes them. */
  private List<Path> savedAdapters(TransformerConfig config) throws IOException {
    List<Path> out = new ArrayList<>();
    Transformer m = Transformer.create(config, new Rng(1));
    PromptTuning prompt = PromptTuning.create(new PromptTuningConfig(3, PromptInit.RANDOM, 0.5, null, null, 0, 0,
        null), m, new Rng(2));
    Lora lora = Lora.create(new LoraConfig(2, 4, 0, List.of("query", "value"), false), m, new Rng(3));
    PrefixTuning prefix = PrefixTuning.create(PrefixTuningConfig.of(2), m, new Rng(4));
    TunedModel[] tuned = {TunedModel.of(m, prompt, ModulesToSave.ofHead(m)), TunedModel.of(m, lora,
        ModulesToSave.ofHead(m)), TunedModel.of(m, prefix), TunedModel.of(m, ModulesToSave.ofHead(m))};
    for (int i = 0; i < tuned.length; i++) {
      Path d = dir.resolve("base" + i);
      ObjectNode provenance = AdapterJson.object();
      provenance.putObject("head").put("kind", "CLASSIFY").put("pooling", "MEAN").put("outputs", 3);
      AdapterFiles.save(tuned[i], d, provenance);
      loadAsEvalDoes(d, config); // every base reads before it is mutated
      out.add(d);
    }
    return out;
  }
}
