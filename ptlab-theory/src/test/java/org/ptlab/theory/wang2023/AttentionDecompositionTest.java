package org.ptlab.theory.wang2023;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Check C6 of spec wang2023.md §7: the §1.7 identity, against the real PTLab Transformer (paper preset). */
class AttentionDecompositionTest {
  private static final String ATT_OUT = "encoder.layer.0.attention.output.dense";

  /** Att(·, [P, X]) rows at the input positions, read from the model's attention output module. */
  private static double[][] modelAttention(Transformer model, double[][] prompt, double[][] x) {
    List<Tensor> seen = new ArrayList<>();
    try (GradMode.Scope s = GradMode.noGrad()) {
      model.forward(ModelInput.ofVectors(PromptModels.tensor(x)), PromptModels.hooks(PromptModels.prompt(prompt), ATT_OUT, seen), ForwardMode.EVAL);
    }
    assertEquals(1, seen.size(), "one layer, one attention output");
    double[][] all = PromptModels.rows(seen.get(0)); // [m_p + m][d]
    return java.util.Arrays.copyOfRange(all, prompt.length, all.length);
  }

  private static double rel(double[] a, double[] b) {
    return Math.sqrt(LinAlg.dist2(a, b)) / Math.max(LinAlg.norm(a), 1e-300);
  }

  @Test
  void identityHoldsAgainstTheRealTransformerAndAttOfPDoesNotDependOnX() {
    int d = 5;
    Transformer model = Transformer.create(Presets.paper(d, 7), new Rng(11));
    PaperLayer layer = PaperLayer.of(model);
    Rng rng = new Rng(12);
    double[][] prompt = PromptModels.gaussian(rng, 3, d, 0.7);
    double[][] x = PromptModels.gaussian(rng, 4, d, 0.7);
    double[][] x2 = PromptModels.gaussian(rng, 4, d, 0.7);
    x2[0] = x[0].clone(); // same query token, other context
    double[][] fromModel = modelAttention(model, prompt, x);
    for (int i = 0; i < x.length; i++) {
      AttentionDecomposition dec = AttentionDecomposition.of(layer, x[i], prompt, x);
      double lambda = dec.lambda(0);
      assertTrue(lambda > 0 && lambda < 1, "λ in (0, 1): " + lambda);
      assertTrue(rel(fromModel[i], dec.direct()) < 1e-13, "direct Att vs the Transformer: " + rel(fromModel[i], dec.direct()));
      assertTrue(rel(fromModel[i], dec.combined()) < 1e-13, "λ a + (1 − λ) b vs the Transformer, token " + i);
      assertTrue(dec.relativeResidual() < 1e-13, "identity residual " + dec.relativeResidual());
    }
    double[] a1 = AttentionDecomposition.of(layer, x[0], prompt, x).heads().get(0).a();
    double[] a2 = AttentionDecomposition.of(layer, x2[0], prompt, x2).heads().get(0).a();
    assertEquals(0, LinAlg.dist2(a1, a2), "Att(x, P) does not change when X changes");
    // the whole prompted forward of the float64 reference matches the model
    double[][] tau = PromptModels.forward(model, prompt, x);
    double[][] ref = layer.forward(prompt, x);
    for (int i = 0; i < x.length; i++) assertTrue(rel(tau[i], ref[i]) < 1e-13, "τ([P, X]) reference vs model");
  }

  @Test
  void multiHeadChangeIsThePositiveCombinationOfTheConeGenerators() {
    int d = 4;
    TransformerConfig base = Presets.paper(d, 6);
    TransformerConfig c = new TransformerConfig(0, 4096, 0, d, 1, 3, 2, 6, base.activation(), base.positional(),
        base.norm(), false, false, false, 1.0, 1e-5, 0.0, base.head(), base.pooling(), 0, 0.0, base.dtype());
    Transformer model = Transformer.create(c, new Rng(9));
    PaperLayer layer = PaperLayer.of(model);
    Rng rng = new Rng(10);
    double[][] prompt = PromptModels.gaussian(rng, 2, d, 1);
    double[][] x = PromptModels.gaussian(rng, 3, d, 1);
    double[][] fromModel = modelAttention(model, prompt, x);
    for (int i = 0; i < x.length; i++) {
      AttentionDecomposition dec = AttentionDecomposition.of(layer, x[i], prompt, x);
      double[] change = LinAlg.sub(fromModel[i], dec.withoutPrompt()); // c − Σ_h b_h, from the model
      assertTrue(rel(change, dec.promptChange()) < 1e-12, "c − Σ b_h = Σ λ_h (a_h − b_h), token " + i);
      for (int h = 0; h < 3; h++) assertTrue(dec.lambda(h) > 0 && dec.lambda(h) < 1, "cone coefficient λ_h > 0");
      assertEquals(3, dec.coneGenerators().size());
    }
  }

  @Test
  void largeLogitsDoNotOverflowLambda() {
    int d = 3;
    Transformer model = Transformer.create(Presets.paper(d, 4), new Rng(3));
    PaperLayer layer = PaperLayer.of(model);
    Rng rng = new Rng(4);
    double[][] prompt = PromptModels.gaussian(rng, 2, d, 40);
    double[][] x = PromptModels.gaussian(rng, 2, d, 40);
    AttentionDecomposition dec = AttentionDecomposition.of(layer, x[0], prompt, x);
    assertTrue(Double.isFinite(dec.lambda(0)) && dec.lambda(0) >= 0 && dec.lambda(0) <= 1, "λ " + dec.lambda(0));
    assertTrue(dec.relativeResidual() < 1e-12, "identity at large logits: " + dec.relativeResidual());
  }
}
