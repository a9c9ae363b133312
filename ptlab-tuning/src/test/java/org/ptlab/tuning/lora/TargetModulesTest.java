package org.ptlab.tuning.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.tuning.Fixtures;

/** Target names: the aliases, PEFT's suffix names, full names, regular expressions, and a clear error for none. */
class TargetModulesTest {
  static final List<String> LINEAR = Lora.linearModules(Fixtures.model(Fixtures.tinyBert()));

  static List<String> resolve(String... targets) {
    return TargetModules.resolve(List.of(targets), LINEAR);
  }

  static List<String> bothLayers(String suffix) {
    return List.of("encoder.layer.0." + suffix, "encoder.layer.1." + suffix);
  }

  @Test
  void linearModulesAreTheEncodersSixPerBlock() {
    assertEquals(12, LINEAR.size());
    assertTrue(LINEAR.stream().allMatch(m -> m.startsWith("encoder.layer.")), LINEAR.toString());
  }

  @Test
  void aliasesPickOneModulePerBlock() {
    assertEquals(bothLayers("attention.self.query"), resolve("q"));
    assertEquals(bothLayers("attention.self.key"), resolve("k"));
    assertEquals(bothLayers("attention.self.value"), resolve("V"));
    assertEquals(bothLayers("attention.output.dense"), resolve("o"));
    assertEquals(bothLayers("intermediate.dense"), resolve("mlp_in"));
    assertEquals(bothLayers("output.dense"), resolve("mlp_out"));
  }

  @Test
  void peftNamesMatchAsSuffixesInModelOrderWithoutDuplicates() {
    assertEquals(bothLayers("attention.self.query"), resolve("query"));
    assertEquals(List.of("encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.value",
        "encoder.layer.1.attention.self.query", "encoder.layer.1.attention.self.value"), resolve("value", "query", "q"));
    assertEquals(List.of("encoder.layer.0.attention.output.dense", "encoder.layer.0.output.dense",
        "encoder.layer.1.attention.output.dense", "encoder.layer.1.output.dense"), resolve("output.dense"));
    assertEquals(6, resolve("dense").size());
    assertEquals(List.of("encoder.layer.1.attention.self.key"), resolve("encoder.layer.1.attention.self.key"));
  }

  @Test
  void regularExpressionsMatchWholeNames() {
    assertEquals(List.of("encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key"),
        resolve("encoder\\.layer\\.0\\..*\\.(query|key)"));
    assertEquals(bothLayers("intermediate.dense"), resolve(".*intermediate.*"));
  }

  @Test
  void aTargetThatMatchesNothingIsAOneLineError() {
    for (String bad : new String[] {"foo", "uery", "encoder\\.layer\\.9\\..*"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("q", bad));
      Fixtures.assertOneLine(e.getMessage());
      assertTrue(e.getMessage().startsWith("--targets: '" + bad + "' matches no linear module"), e.getMessage());
      assertTrue(e.getMessage().contains("mlp_in"), "lists the aliases: " + e.getMessage());
    }
  }
}
