package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** --set keeps the ties a preset has between its sizes and its score scale, unless the user sets them. */
class ConfigOverridesTest {
  private static TransformerConfig set(String preset, Map<String, String> overrides) {
    return ConfigJson.withOverrides(Presets.of(preset), overrides);
  }

  @Test
  void headSizeCarriesItsScoreScale() {
    TransformerConfig c = set("bert", Map.of("headSize", "8"));
    assertEquals(8, c.headSize());
    assertEquals(1 / Math.sqrt(8), c.scoreScale(), 0.0);
    assertEquals(0.25, set("bert", Map.of("headSize", "8", "scoreScale", "0.25")).scoreScale(), 0.0);
  }

  @Test
  void dModelOrHeadsCarryHeadSizeAndScale() {
    TransformerConfig c = set("bert", Map.of("dModel", "16", "heads", "2"));
    assertEquals(8, c.headSize());
    assertEquals(1 / Math.sqrt(8), c.scoreScale(), 0.0);
    assertEquals(96, set("gpt", Map.of("dModel", "384")).headSize()); // 4 heads
    assertEquals(64, set("bert", Map.of("heads", "6")).headSize()); // 384 / 6
    assertEquals(32, set("bert", Map.of("heads", "5")).headSize()); // 384 / 5 is no size: kept
  }

  @Test
  void explicitHeadSizeWinsAndPaperKeepsScaleOne() {
    assertEquals(5, set("bert", Map.of("dModel", "16", "heads", "2", "headSize", "5")).headSize());
    TransformerConfig p = set("paper", Map.of("dModel", "16"));
    assertEquals(16, p.headSize());
    assertEquals(1.0, p.scoreScale(), 0.0);
  }

  @Test
  void otherOverridesLeaveThePresetAlone() {
    TransformerConfig b = Presets.of("bert");
    assertEquals(b, set("bert", Map.of("layers", "2")).toBuilder().layers(b.layers()).build());
  }
}
