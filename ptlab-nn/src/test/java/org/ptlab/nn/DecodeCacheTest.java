package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Decoding with a cache gives, at every step, the logits a full forward pass over the whole sequence gives at that
 * position: for the plain model and with each kind of hook (a soft prompt at position 0 or 1, a prefix, a linear
 * update as LoRA makes), in float64 (to 1e-12) and float32 (to 1e-5).
 */
class DecodeCacheTest {
  private static final int[] SEQ = {3, 17, 9, 40, 1, 22, 8, 30};

  static TransformerConfig tinyGpt(DType dtype, String norm) {
    return ConfigJson.withOverrides(Presets.gpt(), Map.of("vocabSize", "50", "dModel", "16", "layers", "2",
        "heads", "2", "headSize", "8", "mlpHidden", "32", "maxPositions", "64", "dtype", dtype.name(), "norm", norm));
  }

  /** Hooks a tuning method would give, built by hand: a random prompt, prefix and low-rank update. */
  static ForwardHooks hooks(String kind, TransformerConfig c) {
    Rng rng = new Rng(5);
    DType t = c.dtype();
    Tensor prompt = Tensor.randn(rng, t, 0.5, 3, c.dModel());
    Tensor[][] prefix = new Tensor[c.layers()][];
    for (int l = 0; l < c.layers(); l++) {
      int w = c.heads(l) * c.headSize();
      prefix[l] = new Tensor[] {Tensor.randn(rng, t, 0.5, 2, w), Tensor.randn(rng, t, 0.5, 2, w)};
    }
    Tensor a = Tensor.randn(rng, t, 0.3, c.dModel(), 2);
    Tensor b = Tensor.randn(rng, t, 0.3, 2, c.heads(0) * c.headSize());
    return switch (kind) {
      case "none" -> ForwardHooks.NONE;
      case "prompt", "prompt@1" -> new ForwardHooks() {
        @Override
        public Tensor prompt() {
          return prompt;
        }

        @Override
        public int promptPosition() {
          return kind.equals("prompt") ? 0 : 1;
        }
      };
      case "prefix" -> new ForwardHooks() {
        @Override
        public Tensor[] prefix(int layer) {
          return prefix[layer];
        }
      };
      case "linear" -> new ForwardHooks() {
        @Override
        public Tensor linear(String module, Tensor x, Tensor y, ForwardMode pass) {
          return module.endsWith("attention.self.value") ? y.add(x.matmul(a).matmul(b)) : y;
        }
      };
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String kind : new String[] {"none", "prompt", "prompt@1", "prefix", "linear"}) {
      out.add(Arguments.of(kind, DType.F64, "PRE", 1e-12));
      out.add(Arguments.of(kind, DType.F32, "PRE", 1e-5));
    }
    out.add(Arguments.of("prompt", DType.F64, "POST", 1e-12));
    out.add(Arguments.of("prefix", DType.F64, "NONE", 1e-12));
    return out.build();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void everyStepMatchesTheFullForward(String kind, DType dtype, String norm, double tol) {
    TransformerConfig c = tinyGpt(dtype, norm);
    Transformer m = Transformer.create(c, new Rng(1));
    ForwardHooks hooks = hooks(kind, c);
    DecodeCache cache = m.newDecodeCache();
    int first = 3; // the prompt text: read in one step, then one token per step
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor step = m.decode(new int[][] {java.util.Arrays.copyOf(SEQ, first)}, cache, hooks); // [1, 3, V]
      assertEquals(first, step.dim(1));
      compare(m, hooks, first, step, first, tol);
      for (int n = first + 1; n <= SEQ.length; n++) {
        step = m.decode(new int[][] {{SEQ[n - 1]}}, cache, hooks); // [1, 1, V]
        compare(m, hooks, n, step, 1, tol);
      }
    }
    int promptRows = kind.startsWith("prompt") ? 3 : 0;
    assertEquals(SEQ.length + promptRows, cache.positions());
  }

  /** The last {@code t} positions of a full forward over SEQ[0..n) against a decoding step's output. */
  private static void compare(Transformer m, ForwardHooks hooks, int n, Tensor step, int t, double tol) {
    Tensor full = m.forward(ModelInput.ofTokens(new int[][] {java.util.Arrays.copyOf(SEQ, n)}), hooks, ForwardMode.EVAL);
    Tensor expected = full.slice(1, n - t, n);
    assertArrayEquals(expected.shape(), step.shape());
    double worst = 0;
    for (int i = 0; i < expected.numel(); i++) worst = Math.max(worst, Math.abs(expected.getFlat(i) - step.getFlat(i)));
    assertTrue(worst <= tol, "step at length " + n + ": max |difference| " + worst);
  }

  @Test
  void aBidirectionalModelCannotDecode() {
    TransformerConfig c = ConfigJson.withOverrides(Presets.bert(), Map.of("vocabSize", "50", "dModel", "16",
        "layers", "1", "heads", "2", "headSize", "8", "mlpHidden", "32"));
    Transformer m = Transformer.create(c, new Rng(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.decode(new int[][] {{1, 2}}, m.newDecodeCache(), ForwardHooks.NONE));
    assertTrue(e.getMessage().contains("needs a causal model"), e.getMessage());
  }

  @Test
  void decodingPastMaxPositionsIsRefused() {
    TransformerConfig c = ConfigJson.withOverrides(tinyGpt(DType.F64, "PRE"), Map.of("maxPositions", "4"));
    Transformer m = Transformer.create(c, new Rng(1));
    DecodeCache cache = m.newDecodeCache();
    m.decode(new int[][] {{1, 2, 3, 4}}, cache, ForwardHooks.NONE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.decode(new int[][] {{5}}, cache, ForwardHooks.NONE));
    assertTrue(e.getMessage().contains("5 positions (prompt included; 4 of them before these 1: a prefix or earlier tokens) exceed maxPositions 4"), e.getMessage());
  }
}
