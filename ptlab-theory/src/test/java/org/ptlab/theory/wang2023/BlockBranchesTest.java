package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The branch view must compute exactly what the model computes, or the bounds read the wrong matrices. */
class BlockBranchesTest {
  @Test
  void composingTheBranchesReproducesTheModelWithAndWithoutAPrompt() {
    Rng rng = new Rng(3);
    for (boolean causal : new boolean[] {false, true}) {
      for (Activation act : Activation.values()) {
        Transformer model = Models.custom(6, 10, 2, 2, 3, act, causal, 11);
        BlockBranches br = new BlockBranches(model);
        Tensor x = Tensor.of(Models.onSphere(rng, 3, 4, 6, 1.3), 3, 4, 6);
        Tensor p = Models.prompt(rng, 2, 6, 0.8);
        for (Tensor prompt : new Tensor[] {null, p}) {
          double[] want = ObservedGain.model(model, prompt).apply(x).toDoubleArray();
          assertArrayEquals(want, br.encode(prompt, x).toDoubleArray(), 1e-12);
        }
      }
    }
  }

  @Test
  void causalPromptStatesDoNotDependOnTheInput() {
    Transformer model = Models.custom(6, 10, 2, 1, 6, Activation.RELU, true, 4);
    BlockBranches br = new BlockBranches(model);
    Rng rng = new Rng(9);
    Tensor p = Models.prompt(rng, 3, 6, 1.0);
    Tensor[] s = br.promptStates(p);
    Tensor x = Tensor.of(Models.onSphere(rng, 1, 4, 6, 1.0), 1, 4, 6);
    Tensor h = Tensor.concat(1, p.reshape(1, 3, 6), x);
    h = br.block(0, h);
    assertArrayEquals(s[1].toDoubleArray(), h.slice(1, 0, 3).toDoubleArray(), 1e-13);
    BlockBranches bidirectional = new BlockBranches(Models.paper(6, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> bidirectional.promptStates(p));
  }
}
