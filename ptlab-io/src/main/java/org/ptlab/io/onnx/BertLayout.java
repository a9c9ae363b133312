package org.ptlab.io.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.nn.TransformerConfig;

/**
 * The weights a BERT-style {@link TransformerConfig} (learned positions, token types, embedding norm, post-LN,
 * biased projections) holds, by Hugging Face name, with PTLab's shapes ([out, in] for linear weights, as
 * PyTorch stores them). The same names and shapes {@code Transformer.create(config, rng).parameters()} makes
 * ({@code BertLayoutTest} checks that), written out here so that a loader can check a file against the config
 * without allocating a model. No head and no pooler: a new head is the caller's business.
 */
final class BertLayout {
  private BertLayout() {}

  /** Name → shape; the config must be BERT-shaped. */
  static Map<String, int[]> shapes(TransformerConfig c) {
    if (c.vocabSize() == 0 || c.typeVocabSize() == 0 || c.positional() != TransformerConfig.Positional.LEARNED
        || c.norm() != TransformerConfig.NormPlacement.POST || !c.embeddingNorm() || !c.attentionBias()) {
      throw new IllegalArgumentException("config: BERT weights need a vocabulary, token types, learned positions, "
          + "an embedding norm, post-LN blocks and attention biases");
    }
    int d = c.dModel();
    int w = c.attentionWidth();
    int r = c.mlpHidden();
    Map<String, int[]> s = new LinkedHashMap<>();
    s.put("embeddings.word_embeddings.weight", new int[] {c.vocabSize(), d});
    s.put("embeddings.position_embeddings.weight", new int[] {c.maxPositions(), d});
    s.put("embeddings.token_type_embeddings.weight", new int[] {c.typeVocabSize(), d});
    norm(s, "embeddings.LayerNorm", d);
    for (int l = 0; l < c.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      linear(s, p + "attention.self.query", d, w);
      linear(s, p + "attention.self.key", d, w);
      linear(s, p + "attention.self.value", d, w);
      linear(s, p + "attention.output.dense", w, d);
      linear(s, p + "intermediate.dense", d, r);
      linear(s, p + "output.dense", r, d);
      norm(s, p + "attention.output.LayerNorm", d);
      norm(s, p + "output.LayerNorm", d);
    }
    return s;
  }

  private static void linear(Map<String, int[]> s, String name, int in, int out) {
    s.put(name + ".weight", new int[] {out, in});
    s.put(name + ".bias", new int[] {out});
  }

  private static void norm(Map<String, int[]> s, String name, int d) {
    s.put(name + ".weight", new int[] {d});
    s.put(name + ".bias", new int[] {d});
  }
}
