package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.randn;
import static org.ptlab.nn.NnFixtures.relErr;
import static org.ptlab.nn.NnFixtures.row;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The gpt preset at toy size: a causal decoder with an LM head. */
class CausalTest {
  static final int M = 6;

  static Transformer gpt() {
    TransformerConfig c = config(Presets.gpt(), "vocabSize=17", "maxPositions=16", "dModel=8", "layers=2",
        "heads=2", "headSize=4", "mlpHidden=12", "dtype=f64");
    return NnFixtures.randomize(Transformer.create(c, new Rng(4)), 5);
  }

  @Test
  void laterTokensNeverChangeEarlierOutputs() {
    Transformer model = gpt();
    int[][] ids = {{3, 1, 4, 1, 5, 9}};
    for (Tensor prompt : new Tensor[] {null, randn(1, 3, 8)}) {
      ForwardHooks hooks = NnFixtures.prompt(prompt, 0);
      Tensor y = model.forward(ModelInput.ofTokens(ids), hooks, ForwardMode.EVAL); // [1, M, V]
      assertArrayEquals(new int[] {1, M, 17}, y.shape());
      for (int changed = 1; changed < M; changed++) {
        int[][] other = {ids[0].clone()};
        other[0][changed] = (other[0][changed] + 7) % 17;
        Tensor y2 = model.forward(ModelInput.ofTokens(other), hooks, ForwardMode.EVAL);
        for (int i = 0; i < changed; i++) {
          assertArrayEquals(row(y, 0, i), row(y2, 0, i), "output " + i + " after changing token " + changed
              + (prompt == null ? "" : " (with a prompt)"));
        }
        assertTrue(relErr(row(y, 0, changed), row(y2, 0, changed)) > 1e-6, "the changed token's own output moves");
      }
    }
  }

  @Test
  void everyInputSeesThePrompt() {
    Transformer model = gpt();
    int[][] ids = {{3, 1, 4, 1, 5, 9}};
    Tensor y1 = model.forward(ModelInput.ofTokens(ids), NnFixtures.prompt(randn(1, 3, 8), 0), ForwardMode.EVAL);
    Tensor y2 = model.forward(ModelInput.ofTokens(ids), NnFixtures.prompt(randn(2, 3, 8), 0), ForwardMode.EVAL);
    for (int i = 0; i < M; i++) {
      assertTrue(relErr(row(y1, 0, i), row(y2, 0, i)) > 1e-6, "output " + i + " depends on the prompt");
    }
  }
}
