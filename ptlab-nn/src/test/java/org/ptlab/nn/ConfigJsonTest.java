package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.DType;

/** config.json: every field written and required, unknown keys and bad values rejected in one line. */
class ConfigJsonTest {
  @ParameterizedTest
  @ValueSource(strings = {"paper", "bert", "gpt"})
  void writeThenReadIsTheSameConfig(String preset) {
    TransformerConfig c = Presets.of(preset);
    String json = ConfigJson.write(c);
    assertEquals(c, ConfigJson.read(json, "config.json"));
    for (java.lang.reflect.RecordComponent f : TransformerConfig.class.getRecordComponents()) {
      assertTrue(json.contains("\"" + f.getName() + "\""), "written: " + f.getName());
    }
  }

  /** GPT-2's gelu_new round-trips as GELU_TANH; the presets' JSON does not mention it (their files are unchanged). */
  @Test
  void geluTanhRoundTripsAndOldConfigsDoNotMentionIt() {
    TransformerConfig c = Presets.gpt().toBuilder().activation(Activation.GELU_TANH).build();
    String json = ConfigJson.write(c);
    assertTrue(json.contains("\"activation\" : \"GELU_TANH\""), json);
    assertEquals(c, ConfigJson.read(json, "config.json"));
    for (String preset : Presets.NAMES) assertFalse(ConfigJson.write(Presets.of(preset)).contains("TANH"), preset);
    assertEquals(Activation.GELU_TANH,
        ConfigJson.withOverrides(Presets.gpt(), Map.of("activation", "gelu_tanh")).activation());
  }

  /** A broken variant of the paper preset's JSON, and what its message must name. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown key     | \"heads\" : 1,       | \"heads\" : 1, \"colour\" : 1, | colour",
      "missing key     | \"heads\" : 1,       | ''                              | heads",
      "bad enum        | \"activation\" : \"RELU\" | \"activation\" : \"SWISH\"  | activation, SWISH",
      "heads 0         | \"heads\" : 1,       | \"heads\" : 0,                  | heads, 0",
      "negative vocab  | \"vocabSize\" : 0,   | \"vocabSize\" : -3,             | vocabSize, -3",
      "text for number | \"heads\" : 1,       | \"heads\" : \"many\",           | heads, many",
      "null enum       | \"norm\" : \"NONE\"  | \"norm\" : null                 | norm",
  })
  void badConfigsAreRejectedInOneLineNamingTheKey(String name, String from, String to, String mustName) {
    String json = ConfigJson.write(Presets.paper(8, 16));
    assertTrue(json.contains(from), "fixture: " + from + " in " + json);
    String broken = json.replace(from, to);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigJson.read(broken, "model/config.json"));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one line: " + msg);
    assertTrue(msg.startsWith("model/config.json: "), "names the file: " + msg);
    for (String word : mustName.split(",")) {
      assertTrue(msg.contains(word.trim()), "names '" + word.trim() + "': " + msg);
    }
  }

  @Test
  void overridesReplaceOnlyTheGivenFields() { // and headSize, tied to dModel/heads (ConfigOverridesTest)
    TransformerConfig base = Presets.gpt();
    TransformerConfig c = ConfigJson.withOverrides(base,
        Map.of("dModel", "64", "layers", "2", "activation", "relu", "dtype", "f64", "causal", "false",
            "scoreScale", "0.25"));
    TransformerConfig expected = new TransformerConfig(base.vocabSize(), base.maxPositions(), base.typeVocabSize(),
        64, 2, base.heads(), 64 / base.heads(), base.mlpHidden(), Activation.RELU, base.positional(), base.norm(),
        base.embeddingNorm(), false, base.attentionBias(), 0.25, base.layerNormEps(), base.dropout(), base.head(),
        base.pooling(), base.outputs(), base.initStd(), DType.F64);
    assertEquals(expected, c);
    assertEquals(base, ConfigJson.withOverrides(base, Map.of()));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"colour, red, colour", "heads, 0, heads", "layers, two, layers", "norm, sideways, SIDEWAYS"})
  void badOverridesAreRejected(String key, String value, String mustName) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigJson.withOverrides(Presets.paper(8, 16), Map.of(key, value)));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(mustName), "names '" + mustName + "': " + e.getMessage());
  }
}
