package org.ptlab.tuning.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.tuning.Fixtures.assertBitEqual;
import static org.ptlab.tuning.Fixtures.maxAbsDiff;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.Fixtures;
import org.ptlab.tuning.TunedModel;

/** The five inits of a soft prompt, and where the prompt goes (position 0, or 1 after [CLS]). */
class PromptTuningTest {
  static final Transformer MODEL = Fixtures.model(Fixtures.tinyBert());

  static PromptTuningConfig config(int mp, PromptInit init, int[][] tokens, int cap, Tensor file) {
    return new PromptTuningConfig(mp, init, 0.5, tokens, "text", cap, 0, file);
  }

  static Tensor row(Tensor p, int i) {
    return p.slice(0, i, i + 1).reshape(p.dim(1));
  }

  static Tensor embedding(int id) {
    return MODEL.embedTokens(new int[] {id}).reshape(16);
  }

  /** The vocabulary id whose embedding row equals {@code r} bit for bit, or −1. */
  static int idOf(Tensor r) {
    for (int id = 0; id < 50; id++) {
      if (java.util.Arrays.equals(Fixtures.bits(embedding(id)), Fixtures.bits(r))) return id;
    }
    return -1;
  }

  @Test
  void textIsRepeatedOrCutToThePromptLength() {
    Tensor p = PromptTuning.create(config(5, PromptInit.TEXT, new int[][] {{5, 9}}, 0, null), MODEL, new Rng(1)).prompt();
    assertArrayEquals(new int[] {5, 16}, p.shape());
    int[] expected = {5, 9, 5, 9, 5};
    for (int i = 0; i < 5; i++) assertBitEqual(embedding(expected[i]), row(p, i), "row " + i);
    Tensor cut = PromptTuning.create(config(3, PromptInit.TEXT, new int[][] {{5, 9, 11, 13}}, 0, null), MODEL,
        new Rng(1)).prompt();
    assertBitEqual(MODEL.embedTokens(new int[] {5, 9, 11}), cut, "cut to 3");
  }

  @Test
  void sampleVocabTakesDistinctRowsBelowTheCap() {
    for (int cap : new int[] {0, 10, 3}) {
      Tensor p = PromptTuning.create(config(6, PromptInit.SAMPLE_VOCAB, null, cap, null), MODEL, new Rng(4)).prompt();
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        int id = idOf(row(p, i));
        assertTrue(id >= 0, "row " + i + " is a vocabulary row");
        assertTrue(cap == 0 || id < cap, "id " + id + " below cap " + cap);
        ids.add(id);
      }
      assertEquals(cap == 3 ? 3 : 6, ids.size(), "distinct ids unless the cap is smaller than the prompt");
    }
    Tensor a = PromptTuning.create(config(6, PromptInit.SAMPLE_VOCAB, null, 0, null), MODEL, new Rng(4)).prompt();
    Tensor b = PromptTuning.create(config(6, PromptInit.SAMPLE_VOCAB, null, 0, null), MODEL, new Rng(5)).prompt();
    assertFalse(maxAbsDiff(a, b) == 0, "the rng picks the rows");
  }

  @Test
  void classLabelRowsAreMeanLabelWordEmbeddingsAndTheRestSampled() {
    int[][] words = {{4, 5}, {9}, {20, 21, 22}};
    Tensor p = PromptTuning.create(config(5, PromptInit.CLASS_LABELS, words, 12, null), MODEL, new Rng(6)).prompt();
    for (int w = 0; w < words.length; w++) {
      Tensor sum = Tensor.zeros(DType.F64, 16);
      for (int id : words[w]) sum = sum.add(embedding(id));
      assertTrue(maxAbsDiff(sum.mul(1.0 / words[w].length), row(p, w)) < 1e-15, "label word " + w);
    }
    for (int i = 3; i < 5; i++) {
      int id = idOf(row(p, i));
      assertTrue(id >= 0 && id < 12, "row " + i + " sampled below the cap, got id " + id);
    }
    // more label words than prompt rows: the first m_p words
    Tensor two = PromptTuning.create(config(2, PromptInit.CLASS_LABELS, words, 0, null), MODEL, new Rng(6)).prompt();
    assertBitEqual(p.slice(0, 0, 2), two, "first two label rows");
  }

  @Test
  void randomIsUniformWithinTheScale() {
    PromptTuningConfig c = new PromptTuningConfig(20, PromptInit.RANDOM, 0.1, null, null, 0, 0, null);
    Tensor p = PromptTuning.create(c, MODEL, new Rng(7)).prompt();
    double max = 0;
    double min = 0;
    for (int i = 0; i < p.numel(); i++) {
      max = Math.max(max, p.getFlat(i));
      min = Math.min(min, p.getFlat(i));
    }
    assertTrue(max <= 0.1 && min >= -0.1, "within ±0.1: [" + min + ", " + max + "]");
    assertTrue(max > 0.09 && min < -0.09, "spread over the range: [" + min + ", " + max + "]");
    assertEquals(DType.F64, p.dtype());
    assertTrue(p.requiresGrad());
  }

  @Test
  void fileInitCopiesTheSavedPromptAndRejectsAnotherShape() {
    Tensor saved = Tensor.randn(new Rng(8), DType.F32, 1.0, 4, 16);
    PromptTuning pt = PromptTuning.create(config(4, PromptInit.FILE, null, 0, saved), MODEL, new Rng(1));
    assertBitEqual(saved.to(DType.F64), pt.prompt(), "converted to the model's dtype");
    pt.prompt().setFlat(0, 42); // a copy: training does not write into the file's tensor
    assertFalse(saved.getFlat(0) == 42);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PromptTuning.create(config(5, PromptInit.FILE, null, 0, saved), MODEL, new Rng(1)));
    Fixtures.assertOneLine(e.getMessage());
    assertEquals("--init-file: prompt has shape [4, 16], expected [5, 16]", e.getMessage());
    Tensor wide = Tensor.zeros(DType.F64, 4, 8);
    assertThrows(IllegalArgumentException.class,
        () -> PromptTuning.create(config(4, PromptInit.FILE, null, 0, wide), MODEL, new Rng(1)));
  }

  @Test
  void configRejectsBadValuesNamingTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTuningConfig.random(0)).getMessage()
        .contains("--prompt-length"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new PromptTuningConfig(3, PromptInit.RANDOM, 0.5, null, null, 0, 2, null)).getMessage()
        .contains("--prompt-position"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new PromptTuningConfig(3, PromptInit.TEXT, 0.5, null, null, 0, 0, null)).getMessage()
        .contains("--init-text"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new PromptTuningConfig(3, PromptInit.FILE, 0.5, null, null, 0, 0, null)).getMessage()
        .contains("--init-file"));
    Transformer vectors = Fixtures.model(org.ptlab.nn.Presets.paper(8, 16));
    assertThrows(IllegalArgumentException.class,
        () -> PromptTuning.create(config(3, PromptInit.SAMPLE_VOCAB, null, 0, null), vectors, new Rng(1)));
  }

  /**
   * Position 0 runs the model on [P; E(x)] and position 1 on [E(x_0); P; E(x_1:)]; either way the output is the
   * rows of the input positions. Checked against the bare model fed those embeddings as vectors, bit for bit.
   */
  @Test
  void promptGoesAtPositionZeroOrRightAfterTheFirstToken() {
    Transformer m = Fixtures.model(Fixtures.tinyClassifier(2, Pooling.FIRST));
    int[][] tokens = Fixtures.tokens();
    Tensor e = m.embedTokens(new int[] {1, 7, 12, 33, 5, 2, 1, 40, 3, 3, 18, 2}).reshape(2, 6, 16);
    Tensor mask = Fixtures.paddedTokenInput().attendMask();
    int mp = 3;
    for (int position : new int[] {0, 1}) {
      PromptTuning pt = PromptTuning.create(new PromptTuningConfig(mp, PromptInit.RANDOM, 0.5, null, null, 0, position,
          null), m, new Rng(3));
      Tensor p = pt.prompt().detach().expand(2, mp, 16);
      Tensor x = Tensor.concat(1, e.slice(1, 0, position), p, e.slice(1, position, 6)); // [2, 9, 16]
      Tensor ones = Tensor.ones(DType.F64, 2, mp);
      Tensor longMask = Tensor.concat(1, mask.slice(1, 0, position), ones, mask.slice(1, position, 6));
      Tensor full = m.encode(new ModelInput(null, x, longMask), ForwardHooks.NONE, ForwardMode.EVAL); // [2, 9, 16]
      Tensor expected = Tensor.concat(1, full.slice(1, 0, position), full.slice(1, position + mp, 9));
      Tensor got = m.encode(new ModelInput(tokens, null, mask), pt.hooks(), ForwardMode.EVAL);
      assertBitEqual(expected, got, "position " + position);
      // the [CLS] head reads the first input token's output, never a prompt row
      Tensor logits = TunedModel.of(m, pt).forward(new ModelInput(tokens, null, mask), ForwardMode.EVAL);
      Tensor cls = expected.slice(1, 0, 1).reshape(2, 16);
      Tensor w = m.parameters().get("classifier.weight");
      Tensor b = m.parameters().get("classifier.bias");
      assertTrue(maxAbsDiff(cls.matmul(w, false, true).add(b), logits) < 1e-14, "position " + position);
    }
  }
}
