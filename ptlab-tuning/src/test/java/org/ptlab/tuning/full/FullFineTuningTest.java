package org.ptlab.tuning.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;

/** Full fine-tuning trains every weight in place; the summary says 100%. */
class FullFineTuningTest {
  @Test
  void everyWeightTrainsInPlace() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(3, Pooling.MEAN));
    TunedModel t = TunedModel.of(m, new FullFineTuning(m));
    Map<String, Tensor> trainable = t.trainable();
    assertEquals(m.parameters().all().keySet(), trainable.keySet());
    trainable.forEach((k, v) -> {
      assertSame(m.parameters().get(k), v, k);
      assertTrue(v.requiresGrad(), k);
    });
    assertEquals(m.parameters().count(), t.totalCount());
    assertEquals("trainable params: 6,387 || all params: 6,387 || trainable%: 100.0000", t.summary());
    assertEquals("full", t.method(PeftMethod.FULL).adapterConfig().get("ptlab").get("method").asText());
    // no hooks: the tuned model is the model
    Fixtures.randomize(m.parameters().get("classifier.weight"), 1.0, 3);
    Fixtures.assertBitEqual(m.forward(Fixtures.tokenInput(), ForwardHooks.NONE, ForwardMode.EVAL),
        t.forward(Fixtures.tokenInput(), ForwardMode.EVAL), "full");
  }
}
