package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.BlockKind;
import org.ptlab.nn.TransformerConfig.BlockSpec;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Per-layer block layouts: old files load unchanged, parameters follow the layout, forward follows the kinds. */
class BlockLayoutTest {
  private static final TransformerConfig MIXED = Presets.paper(3, 4).toBuilder().layers(3).headSize(1)
      .blocks(List.of(new BlockSpec(BlockKind.MLP, 5, 0), new BlockSpec(BlockKind.ATTENTION_MLP, 7, 2),
          new BlockSpec(BlockKind.ATTENTION, 0, 0)))
      .build();

  @Test
  void configFilesWithoutBlocksMeanUniformBlocks() {
    String old = ConfigJson.write(Presets.paper(8, 16)).replaceAll(",\\s*\"blocks\"\\s*:\\s*\\[\\s*\\]", "");
    assertTrue(!old.contains("blocks"), old);
    TransformerConfig c = ConfigJson.read(old, "config.json");
    assertEquals(Presets.paper(8, 16), c);
    assertEquals(BlockKind.ATTENTION_MLP, c.blockKind(0));
  }

  @Test
  void blocksRoundTripThroughJson() {
    assertEquals(MIXED, ConfigJson.read(ConfigJson.write(MIXED), "config.json"));
  }

  @Test
  void parametersFollowTheLayout() {
    ParameterSet p = Transformer.create(MIXED, new Rng(1)).parameters();
    Set<String> names = p.all().keySet();
    assertTrue(names.stream().noneMatch(n -> n.startsWith("encoder.layer.0.attention")), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("encoder.layer.2.intermediate")), names.toString());
    assertEquals(5, p.get("encoder.layer.0.intermediate.dense.weight").dim(0));
    assertEquals(7, p.get("encoder.layer.1.intermediate.dense.weight").dim(0));
    assertEquals(2, p.get("encoder.layer.1.attention.self.query.weight").dim(0)); // 2 heads of size 1
    assertEquals(1, p.get("encoder.layer.2.attention.self.query.weight").dim(0));
  }

  /** An MLP-only block is X + g(X): with W2 = 0 and b2 = c it adds c to every token. */
  @Test
  void mlpOnlyBlockIsResidualPlusMlp() {
    TransformerConfig c = Presets.paper(2, 3).toBuilder().blocks(List.of(new BlockSpec(BlockKind.MLP, 0, 0))).build();
    Transformer m = Transformer.create(c, new Rng(2));
    m.parameters().get("encoder.layer.0.output.dense.weight").fill(0);
    m.parameters().get("encoder.layer.0.output.dense.bias").fill(0.5);
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
    Tensor y = m.forward(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL);
    for (int i = 0; i < 4; i++) assertEquals(x.getFlat(i) + 0.5, y.getFlat(i), 0.0);
  }

  @Test
  void aLayoutPerLayerIsRequired() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MIXED.toBuilder().layers(2).build());
    assertTrue(e.getMessage().contains("blocks"), e.getMessage());
  }
}
