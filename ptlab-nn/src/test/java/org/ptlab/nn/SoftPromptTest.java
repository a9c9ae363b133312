package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.assertClose;
import static org.ptlab.nn.NnFixtures.config;
import static org.ptlab.nn.NnFixtures.randn;
import static org.ptlab.nn.NnFixtures.relErr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * A soft prompt P [m_p, d] (wang2023.md §1.4): the output is read at the input positions only, every mask grows with
 * the prompt, and promptPosition 1 places it after the first token.
 */
class SoftPromptTest {
  static final int D = 4;

  /** Two post-LN blocks of two heads, learned positions (so positions matter), a 3-class mean-pool head. */
  static Transformer model(String pooling) {
    TransformerConfig c = config(Presets.paper(D, 6), "layers=2", "heads=2", "headSize=3", "attentionBias=true",
        "positional=learned", "maxPositions=16", "norm=post", "embeddingNorm=true", "head=classify", "outputs=3",
        "pooling=" + pooling);
    return NnFixtures.randomize(Transformer.create(c, new Rng(5)), 6);
  }

  @Test
  void outputHasTheInputLength() {
    Transformer model = model("mean");
    Tensor x = randn(1, 2, 5, D);
    for (int at = 0; at <= 1; at++) {
      Tensor h = model.encode(ModelInput.ofVectors(x), NnFixtures.prompt(randn(2, 3, D), at), ForwardMode.EVAL);
      assertArrayEquals(new int[] {2, 5, D}, h.shape(), "prompt at " + at);
    }
    Tensor logits = model.forward(ModelInput.ofVectors(x), NnFixtures.prompt(randn(2, 3, D), 0), ForwardMode.EVAL);
    assertArrayEquals(new int[] {2, 3}, logits.shape());
  }

  /** Sequence lengths 3 and 5 padded to 5 with junk; mask 0 at the junk. */
  @ParameterizedTest(name = "pooling {0}, prompt length {1} at {2}")
  @CsvSource({"mean, 0, 0", "mean, 3, 0", "mean, 3, 1", "first, 3, 1", "first, 0, 0"})
  void paddedBatchEqualsSequencesOneByOne(String pooling, int promptLen, int at) {
    Transformer model = model(pooling);
    int[] lengths = {3, 5};
    Tensor batch = randn(11, 2, 5, D); // row 0's positions 3, 4 are junk
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, 2, 5);
    ForwardHooks hooks = promptLen == 0 ? ForwardHooks.NONE : NnFixtures.prompt(randn(12, promptLen, D), at);
    ModelInput padded = new ModelInput(null, batch, mask);
    Tensor hidden = model.encode(padded, hooks, ForwardMode.EVAL); // [2, 5, D]
    Tensor logits = model.forward(padded, hooks, ForwardMode.EVAL); // [2, 3]
    for (int b = 0; b < 2; b++) {
      Tensor alone = batch.slice(0, b, b + 1).slice(1, 0, lengths[b]).copy(); // [1, len, D]
      Tensor h = model.encode(ModelInput.ofVectors(alone), hooks, ForwardMode.EVAL);
      for (int i = 0; i < lengths[b]; i++) {
        assertClose(NnFixtures.row(h, 0, i), NnFixtures.row(hidden, b, i), 1e-12, "sequence " + b + " token " + i);
      }
      Tensor y = model.forward(ModelInput.ofVectors(alone), hooks, ForwardMode.EVAL); // [1, 3]
      assertClose(y.toDoubleArray(), logits.slice(0, b, b + 1).toDoubleArray(), 1e-12, "logits of sequence " + b);
    }
  }

  /** [x_0; P; x_1 …] by hand, with positions learned, equals promptPosition 1 read at the input positions. */
  @Test
  void promptPositionOnePutsThePromptAfterTheFirstToken() {
    Transformer model = model("first");
    int m = 4;
    int mp = 2;
    Tensor x = randn(21, 1, m, D);
    Tensor p = randn(22, mp, D);
    Tensor h = model.encode(ModelInput.ofVectors(x), NnFixtures.prompt(p, 1), ForwardMode.EVAL);
    Tensor joined = Tensor.concat(1, x.slice(1, 0, 1), p.reshape(1, mp, D), x.slice(1, 1, m)); // [1, m_p + m, D]
    Tensor full = model.encode(ModelInput.ofVectors(joined), ForwardHooks.NONE, ForwardMode.EVAL);
    assertClose(NnFixtures.row(full, 0, 0), NnFixtures.row(h, 0, 0), 1e-12, "first token");
    for (int i = 1; i < m; i++) {
      assertClose(NnFixtures.row(full, 0, mp + i), NnFixtures.row(h, 0, i), 1e-12, "input token " + i);
    }
    Tensor before = model.encode(ModelInput.ofVectors(x), NnFixtures.prompt(p, 0), ForwardMode.EVAL);
    assertTrue(relErr(before.toDoubleArray(), h.toDoubleArray()) > 1e-3, "position 0 and 1 must differ");
  }

  /** The prompt at position 0 with learned positions is [P; X] by hand. */
  @Test
  void promptPositionZeroIsPrepended() {
    Transformer model = model("mean");
    Tensor x = randn(31, 2, 3, D);
    Tensor p = randn(32, 2, D);
    Tensor h = model.encode(ModelInput.ofVectors(x), NnFixtures.prompt(p, 0), ForwardMode.EVAL);
    Tensor joined = Tensor.concat(1, p.reshape(1, 2, D).expand(2, 2, D), x);
    Tensor full = model.encode(ModelInput.ofVectors(joined), ForwardHooks.NONE, ForwardMode.EVAL);
    assertClose(full.slice(1, 2, 5).copy(), h, 1e-12, "[P; X] read at the input positions");
  }

  @Test
  void nullPromptIsBitExactlyTheFrozenModel() {
    Transformer model = model("first");
    Tensor x = randn(41, 2, 5, D);
    Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1}, 2, 5);
    ForwardHooks empty = NnFixtures.prompt(null, 1);
    ModelInput in = new ModelInput(null, x, mask);
    assertArrayEquals(model.encode(in, ForwardHooks.NONE, ForwardMode.EVAL).toDoubleArray(),
        model.encode(in, empty, ForwardMode.EVAL).toDoubleArray());
    assertArrayEquals(model.forward(in, ForwardHooks.NONE, ForwardMode.EVAL).toDoubleArray(),
        model.forward(in, empty, ForwardMode.EVAL).toDoubleArray());
  }

  @Test
  void tokenModelPromptsGoInEmbeddingSpace() {
    TransformerConfig c = config(Presets.bert(), "vocabSize=20", "maxPositions=12", "dModel=" + D, "layers=1",
        "heads=2", "headSize=2", "mlpHidden=5", "dtype=f64");
    Transformer model = NnFixtures.randomize(Transformer.create(c, new Rng(3)), 4);
    int[][] ids = {{1, 5, 7}};
    Tensor p = randn(51, 2, D);
    Tensor h = model.encode(ModelInput.ofTokens(ids), NnFixtures.prompt(p, 0), ForwardMode.EVAL);
    Tensor e = model.embedTokens(ids[0]).reshape(1, 3, D);
    Tensor joined = Tensor.concat(1, p.reshape(1, 2, D), e);
    Tensor full = model.encode(ModelInput.ofVectors(joined), ForwardHooks.NONE, ForwardMode.EVAL);
    assertEquals(DType.F64, h.dtype());
    assertClose(full.slice(1, 2, 5).copy(), h, 1e-12, "prompt before the word embeddings");
  }
}
