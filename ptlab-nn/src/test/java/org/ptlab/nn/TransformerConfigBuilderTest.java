package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.tensor.DType;

/** The builder: round trips, presets equal to their former positional values, bad values named. */
class TransformerConfigBuilderTest {
  @ParameterizedTest
  @ValueSource(strings = {"paper", "bert", "gpt"})
  void toBuilderThenBuildIsTheSameConfig(String preset) {
    TransformerConfig c = Presets.of(preset);
    assertEquals(c, c.toBuilder().build());
  }

  /** The presets as they were written before the builder (22 positional arguments): bit-identical values. */
  @Test
  void presetsEqualTheirPositionalDefinitions() {
    assertEquals(new TransformerConfig(0, 4096, 0, 8, 1, 1, 8, 16, Activation.RELU, Positional.NONE,
        NormPlacement.NONE, false, false, false, 1.0, 1e-5, 0.0, Head.NONE, Pooling.MEAN, 0, 0.0, DType.F64),
        Presets.paper(8, 16));
    assertEquals(new TransformerConfig(30522, 512, 2, 384, 6, 12, 32, 1536, Activation.GELU, Positional.LEARNED,
        NormPlacement.POST, true, false, true, 1 / Math.sqrt(32), 1e-12, 0.0, Head.NONE, Pooling.MEAN, 0, 0.02,
        DType.F32), Presets.bert());
    assertEquals(new TransformerConfig(256, 256, 0, 128, 4, 4, 32, 512, Activation.GELU, Positional.LEARNED,
        NormPlacement.PRE, false, true, true, 1 / Math.sqrt(32), 1e-5, 0.0, Head.LM, Pooling.MEAN, 0, 0.02,
        DType.F32), Presets.gpt());
  }

  @Test
  void settersChangeOnlyTheirField() {
    TransformerConfig base = Presets.gpt();
    TransformerConfig c = base.toBuilder().dModel(64).layers(2).dtype(DType.F64).build();
    assertEquals(64, c.dModel());
    assertEquals(2, c.layers());
    assertEquals(DType.F64, c.dtype());
    assertEquals(base, c.toBuilder().dModel(base.dModel()).layers(base.layers()).dtype(base.dtype()).build());
    TransformerConfig classifier = base.withHead(Head.CLASSIFY, Pooling.FIRST, 3);
    assertEquals(base.toBuilder().head(Head.CLASSIFY).pooling(Pooling.FIRST).outputs(3).build(), classifier);
  }

  @Test
  void builderDefaultsAreThePaperLayerOnceSizesAreSet() {
    assertEquals(Presets.paper(4, 8), TransformerConfig.builder().dModel(4).headSize(4).mlpHidden(8).build());
  }

  @Test
  void badValuesFailAtBuildNamingTheField() {
    assertNames("dModel", () -> TransformerConfig.builder().headSize(4).mlpHidden(8).build());
    assertNames("heads", () -> Presets.paper(4, 8).toBuilder().heads(0).build());
    assertNames("scoreScale", () -> Presets.paper(4, 8).toBuilder().scoreScale(-1).build());
    assertNames("dropout", () -> Presets.paper(4, 8).toBuilder().dropout(1.5).build());
    assertNames("activation", () -> Presets.paper(4, 8).toBuilder().activation(null).build());
    assertNames("dtype", () -> Presets.paper(4, 8).toBuilder().dtype(null).build());
  }

  private static void assertNames(String field, org.junit.jupiter.api.function.Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertTrue(e.getMessage().contains(field), "names " + field + ": " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
