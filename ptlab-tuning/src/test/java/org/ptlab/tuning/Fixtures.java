package org.ptlab.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Tiny models and inputs shared by the tuning tests: a 2-layer BERT-shaped encoder (vocabulary 50, d = 16, 2 heads of
 * 8, FFN 32, float64), the paper's layer (d = 8), and helpers that compare tensors bit for bit.
 */
public final class Fixtures {
  public static final long MODEL_SEED = 1;

  private Fixtures() {}

  /** The brief's tiny BERT: post-LN, GELU, learned positions, float64, no head. */
  public static TransformerConfig tinyBert() {
    return ConfigJson.withOverrides(Presets.bert(), Map.of("vocabSize", "50", "dModel", "16", "layers", "2",
        "heads", "2", "headSize", "8", "mlpHidden", "32", "maxPositions", "64", "dtype", "F64"));
  }

  /** Tiny BERT with a {@code classes}-way classifier reading the mean (or [CLS]) of the input positions. */
  public static TransformerConfig tinyClassifier(int classes, Pooling pooling) {
    return tinyBert().withHead(Head.CLASSIFY, pooling, classes);
  }

  /** A small causal decoder (the gpt preset shrunk): vocabulary 50, d = 16, 2 pre-LN blocks, LM head. */
  public static TransformerConfig tinyGpt(DType dtype) {
    return ConfigJson.withOverrides(Presets.gpt(), Map.of("vocabSize", "50", "dModel", "16", "layers", "2",
        "heads", "2", "headSize", "8", "mlpHidden", "32", "maxPositions", "64", "dtype", dtype.name()));
  }

  /** A fresh model; the same config always gives the same weights. */
  public static Transformer model(TransformerConfig config) {
    return Transformer.create(config, new Rng(MODEL_SEED));
  }

  /** Two token sequences of length 6, starting with [CLS] = 1 (ids below 50). */
  public static int[][] tokens() {
    return new int[][] {{1, 7, 12, 33, 5, 2}, {1, 40, 3, 3, 18, 2}};
  }

  public static ModelInput tokenInput() {
    return ModelInput.ofTokens(tokens());
  }

  /** The same tokens with the second sequence padded after 4 positions. */
  public static ModelInput paddedTokenInput() {
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 6);
    return new ModelInput(tokens(), null, mask);
  }

  /** Vectors [B, m, d] for the paper's layer, N(0, 1). */
  public static ModelInput vectorInput(int b, int m, int d, long seed) {
    return ModelInput.ofVectors(Tensor.randn(new Rng(seed), DType.F64, 1.0, b, m, d));
  }

  /** Sets every element of {@code t} to N(0, std²) drawn from {@code seed}, outside autograd. */
  public static void randomize(Tensor t, double std, long seed) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      t.copyFrom(Tensor.randn(new Rng(seed), t.dtype(), std, t.shape()));
    }
  }

  /** The exact bits of a tensor's values (F64 or F32), for bit-exact comparisons. */
  public static long[] bits(Tensor t) {
    long[] out = new long[t.numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.dtype() == DType.F64 ? Double.doubleToRawLongBits(t.getFlat(i))
          : Float.floatToRawIntBits((float) t.getFlat(i));
    }
    return out;
  }

  public static void assertBitEqual(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    assertArrayEquals(bits(expected), bits(actual), what + ": values differ");
  }

  /** Largest |a − b| over all elements (same shape required). */
  public static double maxAbsDiff(Tensor a, Tensor b) {
    assertArrayEquals(a.shape(), b.shape());
    double m = 0;
    for (int i = 0; i < a.numel(); i++) m = Math.max(m, Math.abs(a.getFlat(i) - b.getFlat(i)));
    return m;
  }

  /** A detached copy of every tensor in {@code named}, keeping the keys. */
  public static Map<String, Tensor> snapshot(Map<String, Tensor> named) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (GradMode.Scope s = GradMode.noGrad()) {
      named.forEach((k, v) -> out.put(k, v.copy()));
    }
    return out;
  }

  public static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": names");
    expected.forEach((k, v) -> assertBitEqual(v, actual.get(k), what + " " + k));
  }

  /** A message is one line: no line breaks. */
  public static void assertOneLine(String message) {
    assertTrue(message != null && !message.isEmpty(), "empty message");
    assertTrue(!message.contains("\n") && !message.contains("\r"), "message spans lines: " + message);
  }

  public static String shape(Tensor t) {
    return Arrays.toString(t.shape());
  }
}
