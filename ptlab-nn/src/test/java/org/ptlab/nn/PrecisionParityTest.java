package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.nn.NnFixtures.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The float32 model computes what the float64 model computes with the same weights, to float32 accuracy. */
class PrecisionParityTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bert", "gpt", "paper"})
  void f32ForwardIsCloseToF64(String preset) {
    TransformerConfig f64 = config(Presets.of(preset), "maxPositions=16", "dModel=8", "layers=2", "heads=2",
        "headSize=4", "mlpHidden=16", "dtype=f64");
    if (!preset.equals("paper")) f64 = config(f64, "vocabSize=23");
    TransformerConfig f32 = config(f64, "dtype=f32");
    Transformer wide = NnFixtures.randomize(Transformer.create(f64, new Rng(1)), 2);
    Transformer narrow = Transformer.withWeights(f32, wide.parameters().all(), "f64 weights");
    Tensor prompt = NnFixtures.randn(3, 2, 8);
    ModelInput in64;
    ModelInput in32;
    if (preset.equals("paper")) {
      Tensor x = NnFixtures.randn(4, 2, 5, 8);
      in64 = ModelInput.ofVectors(x);
      in32 = ModelInput.ofVectors(x.to(DType.F32));
    } else {
      int[][] ids = {{1, 2, 3, 4, 22}, {5, 6, 7, 0, 0}};
      Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5);
      in64 = new ModelInput(ids, null, mask);
      in32 = new ModelInput(ids, null, mask.to(DType.F32));
    }
    for (boolean withPrompt : new boolean[] {false, true}) {
      ForwardHooks h64 = withPrompt ? NnFixtures.prompt(prompt, 0) : ForwardHooks.NONE;
      ForwardHooks h32 = withPrompt ? NnFixtures.prompt(prompt.to(DType.F32), 0) : ForwardHooks.NONE;
      Tensor y64 = wide.forward(in64, h64, ForwardMode.EVAL);
      Tensor y32 = narrow.forward(in32, h32, ForwardMode.EVAL);
      assertEquals(DType.F32, y32.dtype());
      NnFixtures.assertClose(y64, y32, 1e-5, preset + (withPrompt ? " with a prompt" : ""));
    }
  }
}
