package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.TransformerConfig.BlockKind;
import org.ptlab.nn.TransformerConfig.BlockSpec;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.random.Rng;

/** Issue 16 item 5: the size estimate is exact, and a model that cannot fit is refused before allocating. */
class ModelSizeTest {
  private static final long GB = 1L << 30;

  @Test
  void countsExactlyWhatTheTransformerAllocates() {
    TransformerConfig small = Presets.bert().toBuilder().layers(2).dModel(16).heads(2).headSize(8).mlpHidden(32)
        .vocabSize(50).maxPositions(12).build();
    List<TransformerConfig> configs = List.of(Presets.paper(8, 16), small,
        small.withHead(Head.CLASSIFY, Pooling.MEAN, 3),
        Presets.gpt().toBuilder().layers(2).dModel(16).heads(2).headSize(8).mlpHidden(24).vocabSize(40)
            .maxPositions(16).build().withHead(Head.LM, Pooling.MEAN, 0),
        Presets.paper(4, 6).toBuilder().layers(3).blocks(List.of(new BlockSpec(BlockKind.MLP, 5, 0),
            new BlockSpec(BlockKind.ATTENTION_MLP, 7, 2), new BlockSpec(BlockKind.ATTENTION, 0, 0))).build());
    for (TransformerConfig c : configs) {
      assertEquals(Transformer.create(c, new Rng(1)).parameters().count(), ModelSize.parameters(c), c.toString());
    }
  }

  @Test
  void refusesAModelBeyondTheHeapNamingTheSize() {
    TransformerConfig deep = Presets.bert().toBuilder().layers(100_000_000).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSize.requireFits(deep, 4 * GB, "--model bert"));
    assertTrue(e.getMessage().startsWith("--model bert: the model has "), e.getMessage());
    assertTrue(e.getMessage().contains("GB") && e.getMessage().contains("heap is 4.0 GB"), e.getMessage());
    TransformerConfig wide = Presets.bert().toBuilder().vocabSize(1_000_000).dModel(2000).build();
    assertThrows(IllegalArgumentException.class, () -> ModelSize.requireFits(wide, 8 * GB, "--model bert"));
    assertDoesNotThrow(() -> ModelSize.requireFits(Presets.bert(), 8 * GB, "--model bert"));
  }

  @Test
  void hostileSizesDoNotOverflow() {
    TransformerConfig huge = Presets.bert().toBuilder().layers(Integer.MAX_VALUE).dModel(Integer.MAX_VALUE)
        .heads(Integer.MAX_VALUE).headSize(Integer.MAX_VALUE).mlpHidden(Integer.MAX_VALUE).build();
    assertEquals(Long.MAX_VALUE, ModelSize.parameters(huge));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSize.requireFits(huge, 1L << 40, "--model x"));
    assertEquals(1, e.getMessage().lines().count());
    TransformerConfig oneBig = Presets.paper(8, 16).toBuilder().mlpHidden(300_000_000).build(); // 2.4e9 > array
    assertThrows(IllegalArgumentException.class, () -> ModelSize.requireFits(oneBig, 1L << 50, "--model x"));
  }
}
