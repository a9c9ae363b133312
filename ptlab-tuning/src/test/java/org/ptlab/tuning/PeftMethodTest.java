package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * The method registry, one row per entry ({@link EnumSource} runs every entry, so a new method is checked as soon
 * as it is registered; give it a config in {@link #CONFIGS}): unique names, PEFT type round trip, the factory
 * builds the method on a tiny model, and its adapter writes and reads back through the registry, bit for bit.
 */
class PeftMethodTest {
  static final ModelInput IN = Fixtures.paddedTokenInput();

  /** A small config for every configurable method. */
  static final MethodConfigs CONFIGS = new MethodConfigs() {
    @Override
    public PromptTuningConfig prompt() {
      return PromptTuningConfig.random(3);
    }

    @Override
    public PrefixTuningConfig prefix() {
      return PrefixTuningConfig.of(2);
    }

    @Override
    public LoraConfig lora() {
      return LoraConfig.of(2);
    }
  };

  static Transformer classifier() {
    return Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
  }

  /** The entry built through the registry with its head (if the rule adds one), every tensor made non-trivial. */
  static TunedModel built(PeftMethod kind, Transformer model) {
    List<TuningMethod> methods = PeftMethod.build(List.of(kind), CONFIGS, model, new Rng(2), true);
    TunedModel tuned = TunedModel.of(model, methods.toArray(TuningMethod[]::new));
    long seed = 40;
    for (Tensor t : tuned.trainable().values()) Fixtures.randomize(t, 0.2, seed++); // LoRA's B starts at 0
    return tuned;
  }

  @Test
  void namesAndPeftTypesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (PeftMethod m : PeftMethod.values()) {
      assertTrue(names.add(m.cliName()), "duplicate name " + m.cliName());
      assertEquals(m.cliName(), m.name().toLowerCase(java.util.Locale.ROOT), "name matches the constant");
      if (m.isPeft()) assertTrue(types.add(m.peftType()), "duplicate peft_type " + m.peftType());
    }
  }

  @ParameterizedTest
  @EnumSource(PeftMethod.class)
  void nameAndPeftTypeRoundTrip(PeftMethod m) {
    assertEquals(m, PeftMethod.parse(m.cliName()));
    assertEquals(m, PeftMethod.parse(m.cliName().toUpperCase(java.util.Locale.ROOT)));
    if (m.isPeft()) assertEquals(m, PeftMethod.fromPeftType(m.peftType(), "adapter_config.json"));
    else assertNull(m.peftType());
  }

  @ParameterizedTest
  @EnumSource(PeftMethod.class)
  void factoryBuildsTheMethodOnATinyModel(PeftMethod m) {
    Transformer model = classifier();
    TuningMethod method = m.create(CONFIGS, model, new Rng(2));
    assertEquals(m, method.kind());
    assertFalse(method.trainable().isEmpty(), m + " trains something");
    assertTrue(m.configType() == Void.class || configOf(m).getClass() == m.configType(), m + " config type");
  }

  private static Object configOf(PeftMethod m) {
    return switch (m) {
      case PROMPT -> CONFIGS.prompt();
      case PREFIX -> CONFIGS.prefix();
      case LORA -> CONFIGS.lora();
      case FULL, HEAD -> null;
    };
  }

  @ParameterizedTest
  @EnumSource(PeftMethod.class)
  void adapterWritesAndReadsBackThroughTheRegistry(PeftMethod m, @TempDir Path dir) throws IOException {
    TunedModel tuned = built(m, classifier());
    Tensor before = tuned.forward(IN, ForwardMode.EVAL);
    AdapterFiles.save(tuned, dir, null);
    if (m.trainsBaseModel()) { // saved whole, read as a model
      assertTrue(ModelFiles.isModelDir(dir));
      assertBitEqual(before, ModelFiles.load(dir).forward(IN, ForwardHooks.NONE, ForwardMode.EVAL), m + " outputs after load");
      return;
    }
    TunedModel loaded = AdapterFiles.load(dir, classifier());
    assertEquals(tuned.methods().stream().map(TuningMethod::kind).toList(),
        loaded.methods().stream().map(TuningMethod::kind).toList(), "same methods, head included");
    assertBitEqual(before, loaded.forward(IN, ForwardMode.EVAL), m + " outputs after load");
    String file = m.isPeft() ? AdapterFiles.CONFIG : AdapterFiles.PART_CONFIG; // a head alone is a model part
    JsonNode config = AdapterJson.MAPPER.readTree(dir.resolve(file).toFile());
    assertEquals(m.peftType(), config.path("peft_type").asText(null));
    assertEquals(m.cliName(), config.path("ptlab").path("method").asText());
    if (!m.isPeft()) return;
    try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
      SavedAdapter.Loaded read = m.read(new SavedAdapter(config, dir.resolve(AdapterFiles.CONFIG), weights, classifier()));
      assertEquals(m, read.method().kind());
      assertTrue(weights.names().containsAll(read.tensorsByFileKey().keySet()), "the reader names the file's keys");
    }
  }

  @Test
  void peftMethodsTrainTheHeadUnlessAskedNotTo() {
    Transformer model = classifier();
    Set<PeftMethod> kinds = PeftMethod.parseAll("lora,prompt");
    assertEquals(List.of(PeftMethod.LORA, PeftMethod.PROMPT, PeftMethod.HEAD),
        kinds(PeftMethod.build(kinds, CONFIGS, model, new Rng(2), true)));
    assertEquals(List.of(PeftMethod.LORA, PeftMethod.PROMPT), kinds(PeftMethod.build(kinds, CONFIGS, model, new Rng(2), false)));
    assertEquals(List.of(PeftMethod.FULL), kinds(PeftMethod.build(List.of(PeftMethod.FULL), CONFIGS, model, new Rng(2), true)));
    assertEquals(List.of(PeftMethod.HEAD), kinds(PeftMethod.build(List.of(PeftMethod.HEAD), CONFIGS, model, new Rng(2), true)));
    Transformer headless = Fixtures.model(Fixtures.tinyBert());
    assertEquals(List.of(PeftMethod.PROMPT), kinds(PeftMethod.build(List.of(PeftMethod.PROMPT), CONFIGS, headless, new Rng(2), true)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeftMethod.build(List.of(PeftMethod.HEAD), CONFIGS, headless, new Rng(2), true));
    assertTrue(e.getMessage().startsWith("--method head:"), e.getMessage());
  }

  private static List<PeftMethod> kinds(List<TuningMethod> methods) {
    return methods.stream().map(TuningMethod::kind).toList();
  }

  @Test
  void parseAllKeepsOrderDropsRepeatsAndRejectsBadCombinations() {
    assertEquals(List.of(PeftMethod.PROMPT, PeftMethod.LORA), List.copyOf(PeftMethod.parseAll("prompt, lora,prompt")));
    IllegalArgumentException combo = assertThrows(IllegalArgumentException.class, () -> PeftMethod.parseAll("full,lora"));
    assertEquals("--method: full and head do not combine with other methods", combo.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> PeftMethod.parse("ia3"));
    assertEquals("--method: unknown method 'ia3' (known: prompt, prefix, lora, full, head)", unknown.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> PeftMethod.fromPeftType("IA3", "a/adapter_config.json"));
    assertEquals("a/adapter_config.json: peft_type 'IA3' is not supported (PROMPT_TUNING, PREFIX_TUNING, LORA)",
        type.getMessage());
    Fixtures.assertOneLine(type.getMessage());
  }

  @Test
  void aSourceWithoutAMethodsConfigSaysSo() {
    MethodConfigs none = new MethodConfigs() { };
    assertThrows(UnsupportedOperationException.class, () -> PeftMethod.LORA.create(none, classifier(), new Rng(1)));
  }
}
