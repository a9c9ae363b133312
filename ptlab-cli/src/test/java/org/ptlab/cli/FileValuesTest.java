package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.ptlab.cli.TinyTask.assertBadInput;
import static org.ptlab.cli.TinyTask.cmd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.io.safetensors.SafetensorsWriter;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Issue 16, item 6: what PTLab cannot honour in an adapter or model file is refused with one line naming the file
 * and key (never a CLI flag), and names read from files cannot forge a second line.
 */
class FileValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A tensor name that would print a forged result line if it reached stderr unescaped. */
  private static final String FORGED = "evil\nptlab eval: loss 0.000000  accuracy 1.0000  n 64";

  @TempDir static Path dir;
  private static Path data;
  private static Path lora;
  private static Path prompt;
  private static Path model;

  @BeforeAll
  static void runs() throws IOException {
    data = TinyTask.data(dir, "train.jsonl", 1, 16);
    for (String m : new String[] {"lora", "prompt"}) {
      String[] r = MainTest.run(cmd("tune", "--method", m, "--prompt-length", "4", "--data", data.toString(),
          "--max-steps", "1", "--out", dir.resolve(m).toString(), "--quiet"));
      assertEquals("0", r[0], r[2]);
    }
    lora = dir.resolve("lora/adapter");
    prompt = dir.resolve("prompt/adapter");
    model = dir.resolve("model");
    assertEquals("0", MainTest.run(cmd("export", "--out", model.toString()))[0]);
  }

  /** A copy of {@code from} with its adapter_config.json edited. */
  private static Path edited(Path from, String name, Consumer<ObjectNode> edit) throws IOException {
    Path to = copy(from, name);
    ObjectNode c = (ObjectNode) JSON.readTree(to.resolve("adapter_config.json").toFile());
    edit.accept(c);
    Files.writeString(to.resolve("adapter_config.json"), JSON.writeValueAsString(c));
    return to;
  }

  private static Path copy(Path from, String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
    }
    return to;
  }

  private static String[] eval(Path adapter) {
    return MainTest.run(cmd("eval", "--adapter", adapter.toString(), "--data", data.toString()));
  }

  @Test
  void adapterValuesPtlabCannotHonourAreRefusedNamingFileAndKey() throws IOException {
    Map<Path, String> bad = new LinkedHashMap<>();
    bad.put(edited(prompt, "p-frac", c -> c.put("num_virtual_tokens", 4.5)), "\"num_virtual_tokens\"");
    bad.put(edited(prompt, "p-dim", c -> c.put("token_dim", 16.5)), "\"token_dim\"");
    bad.put(edited(prompt, "p-pos", c -> c.with("ptlab").put("prompt_position", 2)), "\"ptlab.prompt_position\"");
    bad.put(edited(lora, "l-frac", c -> c.put("r", 8.5)), "\"r\"");
    bad.put(edited(lora, "l-fifo", c -> c.put("fan_in_fan_out", true)), "\"fan_in_fan_out\"");
    bad.put(edited(lora, "l-bias", c -> c.put("bias", "all")), "\"bias\"");
    bad.put(edited(lora, "l-version", c -> c.with("ptlab").put("format_version", 99)), "\"ptlab.format_version\"");
    bad.put(edited(lora, "l-alpha", c -> c.put("lora_alpha", -1)), "\"lora_alpha\"");
    bad.put(edited(lora, "l-dropout", c -> c.put("lora_dropout", 2)), "\"lora_dropout\"");
    Path dup = copy(lora, "l-dup");
    Files.writeString(dup.resolve("adapter_config.json"),
        Files.readString(dup.resolve("adapter_config.json")).replaceFirst("\\{", "{\"r\": 2, "));
    bad.put(dup, "Duplicate field 'r'");
    for (Map.Entry<Path, String> e : bad.entrySet()) {
      String[] r = eval(e.getKey());
      assertBadInput(r, e.getKey().resolve("adapter_config.json") + ": ");
      assertBadInput(r, e.getValue());
      assertFalse(r[2].contains("--"), "a file value is not blamed on a flag: " + r[2]);
    }
  }

  @Test
  void twoLoraAdaptersOnOneModuleAreRefused() throws IOException {
    Path twice = copy(lora, "l-twice");
    Path weights = twice.resolve("adapter_model.safetensors");
    Map<String, Tensor> tensors = read(weights);
    String a = tensors.keySet().stream().filter(k -> k.endsWith(".lora_A.weight")).findFirst().orElseThrow();
    String stem = a.substring(0, a.length() - ".lora_A.weight".length());
    String wrapped = stem.replace("base_model.model.", "base_model.model.bert."); // PEFT's wrapper prefix
    tensors.put(wrapped + ".lora_A.weight", tensors.get(a));
    tensors.put(wrapped + ".lora_B.weight", tensors.get(stem + ".lora_B.weight"));
    SafetensorsWriter.write(weights, tensors, Map.of("format", "pt"));
    assertBadInput(eval(twice), weights + ": two LoRA adapters on module");

    Path folders = Files.createDirectories(dir.resolve("two-folders"));
    copy(lora, "two-folders/first");
    copy(lora, "two-folders/second");
    assertBadInput(eval(folders), "a second lora adapter");
  }

  @Test
  void namesFromFilesCannotForgeALine() throws IOException {
    Path adapter = copy(prompt, "p-forged");
    Path weights = adapter.resolve("adapter_model.safetensors");
    Map<String, Tensor> tensors = read(weights);
    tensors.put(FORGED, Tensor.zeros(DType.F32, 2));
    SafetensorsWriter.write(weights, tensors, Map.of("format", "pt"));
    assertBadInput(eval(adapter), "unexpected tensor 'evil\\nptlab eval");

    Path forged = copy(model, "model-forged");
    Map<String, Tensor> w = read(forged.resolve("model.safetensors"));
    w.put(FORGED, Tensor.zeros(DType.F32, 2));
    SafetensorsWriter.write(forged.resolve("model.safetensors"), w, Map.of("format", "pt"));
    assertBadInput(MainTest.run("eval", "--model", forged.toString(), "--data", data.toString()),
        "unexpected weight 'evil\\nptlab eval");
  }

  @Test
  void modelConfigWithDuplicateKeysOrFractionalSizesIsRefused() throws IOException {
    String config = Files.readString(model.resolve("config.json"));
    Path dup = copy(model, "model-dup");
    Files.writeString(dup.resolve("config.json"), config.replaceFirst("\\{", "{\"layers\": 3, "));
    assertBadInput(MainTest.run("eval", "--model", dup.toString(), "--data", data.toString()),
        dup.resolve("config.json") + ": Duplicate field 'layers'");
    Path frac = copy(model, "model-frac");
    Files.writeString(frac.resolve("config.json"), config.replaceFirst("\"dModel\" : 16", "\"dModel\" : 16.5"));
    assertBadInput(MainTest.run("eval", "--model", frac.toString(), "--data", data.toString()),
        frac.resolve("config.json") + ": key 'dModel'");
  }

  private static Map<String, Tensor> read(Path file) throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String n : f.names()) m.put(n, f.tensor(n, DType.F32));
    }
    return m;
  }
}
