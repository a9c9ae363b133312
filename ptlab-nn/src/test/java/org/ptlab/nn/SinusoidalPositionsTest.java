package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptlab.nn.NnFixtures.config;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)) (Vaswani et al. §3.5). */
class SinusoidalPositionsTest {
  static final int D = 6;

  /** The embeddings' output for zero vectors: the position table itself, rows 0…t−1. */
  static Tensor table(int t) {
    TransformerConfig c = config(Presets.paper(D, 4), "positional=sinusoidal", "maxPositions=16");
    Embeddings e = new Embeddings(new ParameterSet(DType.F64, new Rng(1), 0), c);
    return e.finish(Tensor.zeros(DType.F64, 1, t, D), ForwardMode.EVAL).reshape(t, D);
  }

  @Test
  void knownValues() {
    Tensor pe = table(5);
    assertArrayEquals(new double[] {0, 1, 0, 1, 0, 1}, pe.slice(0, 0, 1).toDoubleArray(), 0.0, "PE[0]");
    assertEquals(Math.sin(1), pe.get(1, 0), 0.0);
    assertEquals(Math.cos(1), pe.get(1, 1), 0.0);
    for (int p = 0; p < 5; p++) {
      for (int i = 0; i < D / 2; i++) {
        double angle = p / Math.pow(10000, 2.0 * i / D);
        assertEquals(Math.sin(angle), pe.get(p, 2 * i), 1e-15, "PE[" + p + ", " + 2 * i + "]");
        assertEquals(Math.cos(angle), pe.get(p, 2 * i + 1), 1e-15, "PE[" + p + ", " + (2 * i + 1) + "]");
      }
    }
    assertEquals(Math.sin(3 / Math.pow(10000, 2.0 / D)), pe.get(3, 2), 1e-15);
  }

  @Test
  void modelAddsThemToItsInputs() {
    TransformerConfig with = config(Presets.paper(D, 4), "positional=sinusoidal", "maxPositions=16");
    Transformer model = NnFixtures.randomize(Transformer.create(with, new Rng(2)), 3);
    Transformer without = Transformer.withWeights(Presets.paper(D, 4), model.parameters().all(), "same weights");
    Tensor x = NnFixtures.randn(4, 1, 5, D);
    NnFixtures.assertClose(without.forward(ModelInput.ofVectors(x.add(table(5))), ForwardHooks.NONE, ForwardMode.EVAL),
        model.forward(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL), 1e-12, "τ(X + PE)");
  }
}
