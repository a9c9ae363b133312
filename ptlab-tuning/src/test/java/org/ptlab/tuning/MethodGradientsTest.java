package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.GradCheck;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.full.FullFineTuning;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;
import org.ptlab.tuning.prefix.PrefixTuning;
import org.ptlab.tuning.prefix.PrefixTuningConfig;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * Finite differences against backward, float64, through each method on the tiny BERT (padding included): the
 * cross-entropy of a 3-way classifier with respect to every tensor the method trains.
 */
class MethodGradientsTest {
  static final double TOL = 1e-6;
  static final int[] LABELS = {2, 0};

  /**
   * Weights N(0, 1/fan_in) rather than BERT's N(0, 0.02²): with near-uniform attention the gradients of W_q and W_k
   * are so small that finite differences measure round-off, not the gradient.
   */
  static Transformer classifier() {
    return Fixtures.model(ConfigJson.withOverrides(Fixtures.tinyClassifier(3, Pooling.MEAN), Map.of("initStd", "0")));
  }

  static void check(TunedModel t, List<Tensor> wrt) {
    ModelInput in = Fixtures.paddedTokenInput();
    double err = GradCheck.relativeError(x -> t.forward(in, ForwardMode.EVAL).crossEntropy(LABELS), wrt.toArray(Tensor[]::new));
    assertTrue(err <= TOL, t.methods() + ": relative error " + err);
  }

  static void checkAll(TunedModel t) {
    check(t, List.copyOf(t.trainable().values()));
  }

  @Test
  void prompt() {
    Transformer m = classifier();
    checkAll(TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(3), m, new Rng(2))));
  }

  @Test
  void promptOnThePapersLayerWithMse() {
    Transformer m = Fixtures.model(Presets.paper(8, 16));
    TunedModel t = TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(2), m, new Rng(2)));
    ModelInput in = Fixtures.vectorInput(2, 3, 8, 4);
    Tensor target = Tensor.randn(new Rng(5), m.config().dtype(), 1.0, 2, 3, 8);
    double err = GradCheck.relativeError(x -> t.forward(in, ForwardMode.EVAL).mse(target),
        t.trainable().values().toArray(Tensor[]::new));
    assertTrue(err <= TOL, "relative error " + err);
  }

  @Test
  void prefixPlain() {
    Transformer m = classifier();
    checkAll(TunedModel.of(m, PrefixTuning.create(PrefixTuningConfig.of(2), m, new Rng(2))));
  }

  @Test
  void prefixWithProjection() {
    Transformer m = classifier();
    PrefixTuning p = PrefixTuning.create(new PrefixTuningConfig(2, true, 4, false, 1.0), m, new Rng(2));
    Fixtures.randomize(p.trainable().get("transform.0.bias"), 0.3, 6);
    Fixtures.randomize(p.trainable().get("transform.2.bias"), 0.3, 7);
    checkAll(TunedModel.of(m, p));
  }

  @Test
  void loraAAndBWithBNonZero() {
    Transformer m = classifier();
    Lora lora = Lora.create(new LoraConfig(2, 4, 0.0, List.of("v", "mlp_out"), false), m, new Rng(2));
    long seed = 20;
    for (Map.Entry<String, Tensor> e : lora.trainable().entrySet()) {
      if (e.getKey().endsWith("lora_B.weight")) Fixtures.randomize(e.getValue(), 0.3, seed++);
    }
    checkAll(TunedModel.of(m, lora));
  }

  @Test
  void headCopy() {
    Transformer m = classifier();
    checkAll(TunedModel.of(m, ModulesToSave.ofHead(m)));
  }

  @Test
  void promptAndHeadTogether() {
    Transformer m = classifier();
    checkAll(TunedModel.of(m, PromptTuning.create(PromptTuningConfig.random(2), m, new Rng(2)), ModulesToSave.ofHead(m)));
  }

  /** Every registered adapter method as the registry builds it (with the head PEFT trains beside it). */
  @ParameterizedTest
  @EnumSource(value = PeftMethod.class, names = "FULL", mode = EnumSource.Mode.EXCLUDE) // FULL: a few weights, below
  void everyRegisteredMethodWithItsHead(PeftMethod kind) {
    checkAll(PeftMethodTest.built(kind, classifier()));
  }

  @Test
  void fullFineTuningOnAFewWeights() {
    Transformer m = classifier();
    TunedModel t = TunedModel.of(m, new FullFineTuning(m));
    Map<String, Tensor> w = t.trainable();
    check(t, List.of(w.get("embeddings.LayerNorm.weight"), w.get("encoder.layer.0.attention.self.key.weight"),
        w.get("encoder.layer.0.attention.self.query.bias"),
        w.get("encoder.layer.1.attention.self.value.bias"), w.get("encoder.layer.1.output.dense.weight"),
        w.get("encoder.layer.1.output.LayerNorm.bias"), w.get("classifier.weight")));
    // the key bias shifts every score of a query equally, so softmax ignores it: its gradient is 0
    Tensor keyBias = w.get("encoder.layer.0.attention.self.key.bias");
    keyBias.zeroGrad();
    t.forward(Fixtures.paddedTokenInput(), ForwardMode.EVAL).crossEntropy(LABELS).backward();
    assertTrue(keyBias.grad().square().sum().item() < 1e-28);
  }
}
