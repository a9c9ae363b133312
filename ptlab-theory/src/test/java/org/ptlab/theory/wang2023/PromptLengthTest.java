package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;

/**
 * Check C5 of spec §7 with our RNG: n = 3 single-token examples, d = 8. {@link PromptLengthNecessaryCondition}
 * finds m_p ≥ 3; {@link PromptLengthLossBound} is positive below 3 tokens, 0 from 3 on, and never above the loss of
 * any prompt tried (random or Adam-tuned on the real Transformer); the exact LoRA fits. Counts are reported as
 * computed.
 */
class PromptLengthTest {
  static final int D = 8;
  static final int N = 3;

  /** The paper preset (d = 8, r = 16) with W2 scaled to ℓ. */
  static Transformer model(double ell, long seed) {
    Transformer m = Transformer.create(Presets.paper(D, 16), new Rng(seed));
    PaperLayer layer = PaperLayer.of(m);
    double f = ell / (LinAlg.spectralNorm(layer.w1()) * LinAlg.spectralNorm(layer.w2()));
    Tensor w2 = m.parameters().get(PaperLayer.mlpOutModule() + ".weight");
    for (int i = 0; i < w2.numel(); i++) w2.setFlat(i, w2.getFlat(i) * f);
    return m;
  }

  static double[][][] data(long seed, double std) {
    Rng rng = new Rng(seed);
    double[][][] x = new double[N][][];
    for (int i = 0; i < N; i++) x[i] = PromptModels.gaussian(rng, 1, D, std);
    return x;
  }

  @Test
  void necessaryLengthIsNAndTheLossBoundHoldsForEveryLength() {
    Transformer model = model(0.5, 21);
    double[][][] x = data(22, 1);
    double[][][] y = data(23, 2);
    Certificate need = PromptLengthNecessaryCondition.certify(model, x, y);
    assertTrue(need.applies(), need.reason());
    assertEquals(2 * N, need.details().get("rank_cb_lower"), "{c_i, W x_i} independent (2n ≤ d)");
    assertEquals(N, (int) need.value(), "m_p ≥ n");
    assertEquals(false, need.details().get("sufficient"));
    long promptParams = (long) need.details().get("prompt_parameters_at_required_length");
    long loraParams = (long) need.details().get("exact_lora_parameters");
    assertEquals((long) N * D, promptParams);
    assertEquals((long) N * (D + 16), loraParams, "rank-n LoRA on W2");
    System.out.printf("C5: necessary m_p >= %d (%d prompt parameters); exact LoRA %d parameters%n", (int) need.value(),
        promptParams, loraParams);
    for (int mp : new int[] {1, 2, 3, 4, 6}) {
      Certificate bound = PromptLengthLossBound.certify(model, x, y, mp);
      assertTrue(bound.applies(), bound.reason());
      if (mp < N) assertTrue(bound.value() > 0, "m_p " + mp + " < n: positive bound");
      else assertEquals(0, bound.value(), 1e-9, "m_p ≥ n: the bound is vacuous");
      double best = Double.POSITIVE_INFINITY;
      for (double std : new double[] {0.5, 2}) best = Math.min(best, PromptModels.tunePrompt(model, x, y, mp, std, 0.1, 300, mp));
      Rng rng = new Rng(mp);
      for (int k = 0; k < 50; k++) {
        double sse = PromptModels.sse(model, PromptModels.gaussian(rng, mp, D, 3), x, y);
        assertTrue(sse >= bound.value(), "random prompt below the bound: " + sse + " < " + bound.value());
      }
      assertTrue(best >= bound.value(), "m_p " + mp + ": tuned " + best + " < bound " + bound.value());
      assertTrue(best > 1e-3, "m_p " + mp + ": prompt tuning does not fit (necessary, not sufficient)");
      System.out.printf("C5 m_p=%d: tuned SSE %.6g >= Eckart-Young bound %.6g%n", mp, best, bound.value());
    }
    ExactLoraUpdate lora = ExactLoraUpdate.fit(model, x, y);
    assertEquals(N, lora.rank());
    assertTrue(PromptModels.sse(withDelta(model, lora.deltaW2()), null, x, y) <= 1e-20, "rank-n LoRA fits exactly");
  }

  private static Transformer withDelta(Transformer model, double[][] delta) {
    Transformer copy = Transformer.withWeights(model.config(), model.parameters().all(), "copy");
    Tensor w2 = copy.parameters().get(PaperLayer.mlpOutModule() + ".weight");
    for (int i = 0; i < delta.length; i++) {
      for (int j = 0; j < delta[0].length; j++) w2.setFlat(i * delta[0].length + j, w2.get(i, j) + delta[i][j]);
    }
    return copy;
  }

  @Test
  void refusesWhenTheMlpIsNotCertifiedInjective() {
    Transformer model = model(1.5, 21);
    Certificate need = PromptLengthNecessaryCondition.certify(model, data(22, 1), data(23, 2));
    assertFalse(need.applies());
    assertTrue(need.reason().contains("≥ 1"), need.reason());
    Certificate bound = PromptLengthLossBound.certify(model, data(22, 1), data(23, 2), 1);
    assertFalse(bound.applies());
    assertTrue(Double.isNaN(bound.value()));
  }
}
