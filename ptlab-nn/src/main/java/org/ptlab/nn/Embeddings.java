package org.ptlab.nn;

import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Turns a batch into the first hidden states: token embeddings (or the given vectors), the soft prompt if any,
 * then positions, token type 0, layer norm and dropout, in BERT's order. The prompt is placed before positions are
 * added, as PEFT does (it passes prompt + input embeddings as {@code inputs_embeds}), so prompt rows get positions
 * 0…m_p−1. A prefix may shift every position ({@link ForwardHooks#positionOffset}).
 */
final class Embeddings {
  private final TransformerConfig config;
  private final Tensor words; // [V, d] or null
  private final Tensor positions; // [P, d] learned, or null
  private final Tensor types; // [types, d] or null
  private final LayerNorm norm; // or null
  private Tensor sinusoids; // [P, d], built on first use

  Embeddings(ParameterSet params, TransformerConfig c) {
    this.config = c;
    int d = c.dModel();
    this.words = c.vocabSize() > 0 ? params.normal("embeddings.word_embeddings.weight", 1, c.vocabSize(), d) : null;
    boolean learned = c.positional() == TransformerConfig.Positional.LEARNED;
    this.positions = learned ? params.normal("embeddings.position_embeddings.weight", 1, c.maxPositions(), d) : null;
    this.types = c.typeVocabSize() > 0 ? params.normal("embeddings.token_type_embeddings.weight", 1, c.typeVocabSize(), d) : null;
    this.norm = c.embeddingNorm() ? new LayerNorm(params, "embeddings.LayerNorm", d, c.layerNormEps()) : null;
  }

  /** The word-embedding rows of {@code tokens} [B][T] → [B, T, d]. */
  Tensor lookup(int[][] tokens) {
    if (words == null) throw new IllegalArgumentException("model input: this model reads vectors, not token ids");
    int b = tokens.length;
    int t = tokens[0].length;
    int[] flat = new int[b * t];
    for (int i = 0; i < b; i++) {
      if (tokens[i].length != t) throw new IllegalArgumentException("model input: token rows of unequal length");
      System.arraycopy(tokens[i], 0, flat, i * t, t);
    }
    return words.gather(flat).reshape(b, t, config.dModel());
  }

  /** {@link #finish(Tensor, ForwardMode, int)} from position 0. */
  Tensor finish(Tensor e, ForwardMode pass) {
    return finish(e, pass, 0);
  }

  /**
   * e [B, T, d] (prompt already inserted) → hidden states [B, T, d]; row i gets position {@code offset + i}
   * ({@link ForwardHooks#positionOffset}: m_p after a prefix read as past keys and values, else 0).
   */
  Tensor finish(Tensor e, ForwardMode pass, int offset) {
    int t = e.dim(1);
    if (config.positional() != TransformerConfig.Positional.NONE && offset + t > config.maxPositions()) {
      throw new IllegalArgumentException("model input: " + (offset + t) + " positions (prompt included"
          + (offset > 0 ? "; " + offset + " of them before these " + t + ": a prefix or earlier tokens" : "")
          + ") exceed maxPositions " + config.maxPositions());
    }
    if (positions != null) e = e.add(positions.slice(0, offset, offset + t)); // [T, d] broadcast over B
    if (config.positional() == TransformerConfig.Positional.SINUSOIDAL) e = e.add(sinusoids().slice(0, offset, offset + t));
    if (types != null) e = e.add(types.slice(0, 0, 1)); // type 0 for every token  [1, d]
    if (norm != null) e = norm.forward(e);
    return config.dropout() > 0 ? e.dropout(config.dropout(), pass.rng(), pass.training()) : e;
  }

  /**
   * {@link #finish} for positions {@code start}, {@code start + 1}, … (a decoding step continuing a cached
   * sequence), in evaluation mode.
   */
  Tensor finishAt(Tensor e, int start) {
    return finish(e, ForwardMode.EVAL, start);
  }

  /** The word-embedding table [V, d] (prompt inits sample its rows), or null for a vector model. */
  Tensor words() {
    return words;
  }

  /** PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(same), Vaswani et al. §3.5. */
  private synchronized Tensor sinusoids() {
    if (sinusoids == null) {
      int d = config.dModel();
      double[] pe = new double[config.maxPositions() * d];
      for (int p = 0; p < config.maxPositions(); p++) {
        for (int i = 0; i < d; i++) {
          double angle = p / Math.pow(10000, (i / 2 * 2) / (double) d);
          pe[p * d + i] = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
        }
      }
      Tensor t = Tensor.of(pe, config.maxPositions(), d);
      sinusoids = config.dtype() == DType.F64 ? t : t.to(config.dtype());
    }
    return sinusoids;
  }
}
