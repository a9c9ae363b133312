package org.ptlab.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ptlab.io.datasets.Sentence;
import org.ptlab.io.datasets.SentimentData;
import org.ptlab.io.tokenizer.WordPieceTokenizer;
import org.ptlab.nn.SentenceEmbedding;

/**
 * The oracle on the real data: every one of the 2,983 distinct sentiment sentences, tokenized by PTLab's
 * own WordPiece, through PTLab's MiniLM and through ONNX Runtime on the same ONNX bytes, in padded batches of
 * similar length: last_hidden_state within 1e-4 at every real token, normalized mean-pooled embeddings within 1e-5.
 */
class MiniLmSentimentOracleTest {
  static final int BATCH = 32;

  @BeforeAll
  static void setUp() throws Exception {
    MiniLmOnnxRuntimeTest.setUp();
  }

  @AfterAll
  static void tearDown() throws Exception {
    MiniLmOnnxRuntimeTest.tearDown();
  }

  @Test
  void everySentimentSentenceMatchesOnnxRuntime() throws Exception {
    List<Sentence> all = SentimentData.load(SentimentData.defaultCache()).all();
    assertEquals(2983, all.size());
    WordPieceTokenizer tokenizer = WordPieceTokenizer.minilm();
    int[][] ids = all.stream().map(s -> tokenizer.encode(s.text())).toArray(int[][]::new);
    int[] order = IntStream.range(0, ids.length).boxed().sorted(Comparator.comparingInt(i -> ids[i].length))
        .mapToInt(Integer::intValue).toArray();
    double hidden = 0;
    double embedding = 0;
    for (int from = 0; from < order.length; from += BATCH) {
      int[][] batch = Arrays.stream(order, from, Math.min(order.length, from + BATCH)).mapToObj(i -> ids[i])
          .toArray(int[][]::new);
      float[][][] ort = MiniLmOnnxRuntimeTest.runOrt(batch);
      float[][][] ours = MiniLmOnnxRuntimeTest.encode(batch);
      hidden = Math.max(hidden, MiniLmOnnxRuntimeTest.maxAbsDiff(ort, ours, batch));
      embedding = Math.max(embedding, MiniLmOnnxRuntimeTest.maxAbsDiff(
          MiniLmOnnxRuntimeTest.meanNormalized(ort, batch), SentenceEmbedding.embed(MiniLmOnnxRuntimeTest.model, batch)));
    }
    System.out.printf("MiniLM vs ONNX Runtime on %d sentiment sentences: hidden %.3g, embedding %.3g%n", ids.length,
        hidden, embedding);
    assertTrue(hidden <= 1e-4, "last_hidden_state max |PTLab - ORT| = " + hidden);
    assertTrue(embedding <= 1e-5, "normalized embedding max |PTLab - ORT| = " + embedding);
  }
}
