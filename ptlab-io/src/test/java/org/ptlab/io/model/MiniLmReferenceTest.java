package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.SentenceEmbedding;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The real all-MiniLM-L6-v2 in PTLab reproduces the reference numbers of spec/model-path.md §3 (computed there with
 * ONNX Runtime from the same file): token ids as the Hugging Face tokenizer gives them, mean over real tokens, L2.
 */
class MiniLmReferenceTest {
  /** "A man is playing a guitar.", "Someone plays the guitar.", "The new movie is awesome!" (spec §2). */
  static final int[][] SENTENCES = {
      {101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102},
      {101, 2619, 3248, 1996, 2858, 1012, 102},
      {101, 1996, 2047, 3185, 2003, 12476, 999, 102}};

  static final double[][] NORMALIZED = {
      {0.021664, -0.004864, -0.009649, -0.063401, -0.167493, 0.004676, 0.080600, -0.024142, -0.012695, 0.060556},
      {0.013869, 0.031117, -0.010248, -0.051842, -0.135832, 0.024586, 0.086364, 0.036356, 0.005174, 0.063847},
      {-0.084936, -0.084372, 0.006181, -0.033106, 0.000126, -0.032281, -0.046530, -0.033831, 0.032353, 0.014796}};
  static final double[][] RAW_MEAN = {
      {0.106762, -0.023971, -0.047551, -0.312445, -0.825419},
      {0.084080, 0.188639, -0.062126, -0.314280, -0.823456},
      {-0.434273, -0.431392, 0.031602, -0.169268, 0.000645}};
  static final double[] RAW_NORM = {4.928066, 6.062309, 5.112953};

  static Transformer model;

  @BeforeAll
  static void load() {
    model = MiniLm.load(MiniLm.config(), null);
  }

  @Test
  void normalizedEmbeddingsRawMeansAndNorms() {
    float[][] unit = SentenceEmbedding.embed(model, SENTENCES); // one padded batch
    float[][] raw = SentenceEmbedding.meanPooled(model, SENTENCES);
    for (int s = 0; s < 3; s++) {
      assertClose(NORMALIZED[s], unit[s], 1e-5, "normalized embedding of sentence " + s);
      assertClose(RAW_MEAN[s], raw[s], 1e-5, "raw mean of sentence " + s);
      assertEquals(RAW_NORM[s], norm(raw[s]), 1e-4, "norm of the raw mean of sentence " + s);
      assertEquals(1.0, norm(unit[s]), 1e-6);
      assertClose(toDouble(unit[s]), SentenceEmbedding.embed(model, SENTENCES[s]), 1e-6, "alone vs padded batch");
    }
    assertEquals(0.840559, dot(unit[0], unit[1]), 1e-5, "cosine guitar/guitar");
    assertEquals(0.011877, dot(unit[0], unit[2]), 1e-5);
    assertEquals(-0.004129, dot(unit[1], unit[2]), 1e-5);
  }

  @Test
  void clsAndSepHiddenRowsOfSentenceOne() {
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor h = model.encode(ModelInput.ofTokens(new int[][] {SENTENCES[0]}), ForwardHooks.NONE, ForwardMode.EVAL);
      assertArrayEquals(new int[] {1, 9, 384}, h.shape());
      double[] cls = {0.098853, 0.080678, -0.097865, -0.497266, -0.820867};
      double[] sep = {0.154870, 0.014881, -0.229124, -0.175146, -0.539954};
      for (int i = 0; i < 5; i++) {
        assertEquals(cls[i], h.get(0, 0, i), 1e-4, "[CLS] row, element " + i);
        assertEquals(sep[i], h.get(0, 8, i), 1e-4, "[SEP] row, element " + i);
      }
    }
  }

  @Test
  void weightsAreParsedOnceTransposedAndReadOnly() {
    Map<String, Tensor> w = MiniLm.weights();
    assertSame(w, MiniLm.weights(), "parsed once per JVM");
    assertEquals(101, w.size(), "65 named + 36 MatMul weights; no position_ids, no pooler");
    assertThrows(UnsupportedOperationException.class, () -> w.remove("embeddings.LayerNorm.weight"));
    Tensor words = w.get("embeddings.word_embeddings.weight");
    assertEquals(-0.019989, words.get(0, 0), 1e-6);
    assertEquals(-0.003403, words.get(0, 1), 1e-6);
    assertEquals(-0.014679, words.get(0, 2), 1e-6);
    assertArrayEquals(new int[] {1536, 384}, w.get("encoder.layer.2.intermediate.dense.weight").shape(), "[out, in]");
    assertArrayEquals(new int[] {384, 1536}, w.get("encoder.layer.2.output.dense.weight").shape(), "[out, in]");
    assertEquals(DType.F32, words.dtype());
  }

  @Test
  void headsAndFloat64LoadOtherShapesAreRejected() {
    TransformerConfig cls = MiniLm.config().withHead(Head.CLASSIFY, Pooling.FIRST, 2);
    Transformer classifier = MiniLm.load(cls, new Rng(3));
    int[][] three = {SENTENCES[1], SENTENCES[1], SENTENCES[1]};
    Tensor logits = classifier.forward(ModelInput.ofTokens(three), ForwardHooks.NONE, ForwardMode.EVAL);
    assertArrayEquals(new int[] {3, 2}, logits.shape());
    assertClose(NORMALIZED[1], SentenceEmbedding.embed(classifier, SENTENCES[1]), 1e-5, "the head does not pool");
    IllegalArgumentException noHeadInit = assertThrows(IllegalArgumentException.class, () -> MiniLm.load(cls, null));
    assertTrue(noHeadInit.getMessage().contains("classifier.weight"), noHeadInit.getMessage());

    TransformerConfig f64 = with(MiniLm.config(), "dtype", "F64");
    assertClose(NORMALIZED[2], SentenceEmbedding.embed(MiniLm.load(f64, null), SENTENCES[2]), 1e-5, "float64");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MiniLm.load(with(MiniLm.config(), "layers", "4"), null));
    assertEquals("minilm: config field layers is 4, the pretrained model has 6 (only dropout, dtype, head, initStd, "
        + "outputs, pooling may change)", e.getMessage());
  }

  /** {@code c} with one field overridden, as {@code --set key=value} does. */
  static TransformerConfig with(TransformerConfig c, String key, String value) {
    return ConfigJson.withOverrides(c, Map.of(key, value));
  }

  static void assertClose(double[] expected, float[] actual, double tol, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + ", element " + i);
    }
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
    return s;
  }

  static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }
}
