package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.randn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.GradCheck;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Finite-difference checks (float64, tiny sizes) of a classification loss w.r.t. the input vectors, a soft prompt, a
 * prefix and every weight, for each norm placement, activation and pooling. Prompt and prefix are both present in
 * every check, and one sequence is padded, so every path of the forward pass carries gradient. The prefix also keeps
 * the key bias's gradient non-zero: without keys that lack it, it shifts every logit of a query equally, its true
 * gradient is 0, and a relative finite-difference error would compare round-off with round-off.
 */
class GradientTest {
  static final double TOL = 1e-6;
  static final int D = 4;

  static Stream<Arguments> variants() {
    List<Arguments> all = new ArrayList<>();
    for (NormPlacement n : NormPlacement.values()) {
      for (Activation a : Activation.values()) {
        for (Pooling p : Pooling.values()) all.add(Arguments.of(n, a, p));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "norm {0}, {1}, pooling {2}")
  @MethodSource("variants")
  void lossGradients(NormPlacement norm, Activation activation, Pooling pooling) {
    TransformerConfig c = config(Presets.paper(D, 5), "layers=2", "heads=2", "headSize=2", "attentionBias=true",
        "positional=learned", "maxPositions=8", "norm=" + norm, "embeddingNorm=" + (norm == NormPlacement.POST),
        "activation=" + activation, "head=classify", "outputs=3", "pooling=" + pooling);
    Transformer model = NnFixtures.randomize(Transformer.create(c, new Rng(1)), 2);
    Tensor x = randn(3, 2, 3, D);
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 0}, 2, 3);
    Tensor prompt = randn(4, 2, D);
    Tensor[][] kv = {{randn(5, 2, 4), randn(6, 2, 4)}, {randn(7, 2, 4), randn(8, 2, 4)}};
    int at = pooling == Pooling.FIRST ? 1 : 0;
    ForwardHooks hooks = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }

      @Override
      public int promptPosition() {
        return at;
      }

      @Override
      public Tensor[] prefix(int layer) {
        return kv[layer];
      }
    };
    int[] labels = {2, 0};
    java.util.function.Function<Tensor[], Tensor> loss =
        in -> model.forward(new ModelInput(null, x, mask), hooks, ForwardMode.EVAL).crossEntropy(labels);

    check("input vectors", loss, x);
    check("soft prompt", loss, prompt);
    check("prefix", loss, kv[0][0], kv[0][1], kv[1][0], kv[1][1]);
    check("every weight", loss, model.parameters().all().values().toArray(new Tensor[0]));
  }

  private static void check(String what, java.util.function.Function<Tensor[], Tensor> loss, Tensor... wrt) {
    for (Tensor t : wrt) t.requiresGrad(true);
    double err = GradCheck.relativeError(loss, wrt);
    for (Tensor t : wrt) t.requiresGrad(false);
    assertTrue(err <= TOL, what + ": relative error " + err + " > " + TOL);
  }
}
