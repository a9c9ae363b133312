package org.ptlab.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The loader's list of BERT weights is the model's own: same names, same shapes (h·s ≠ d on purpose). */
class BertLayoutTest {
  @Test
  void matchesTheTransformersParameters() {
    TransformerConfig small = ConfigJson.withOverrides(Presets.bert(), Map.of("vocabSize", "13", "maxPositions",
        "9", "typeVocabSize", "3", "dModel", "4", "layers", "2", "heads", "2", "headSize", "3", "mlpHidden", "5"));
    Map<String, Tensor> params = Transformer.create(small, new Rng(1)).parameters().all();
    Map<String, int[]> layout = BertLayout.shapes(small);
    assertEquals(params.keySet(), layout.keySet());
    for (Map.Entry<String, Tensor> p : params.entrySet()) {
      assertArrayEquals(p.getValue().shape(), layout.get(p.getKey()), p.getKey());
    }
  }

  @Test
  void rejectsConfigsThatAreNotBert() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BertLayout.shapes(Presets.gpt()));
    assertEquals("config: BERT weights need a vocabulary, token types, learned positions, an embedding norm, "
        + "post-LN blocks and attention biases", e.getMessage());
  }
}
