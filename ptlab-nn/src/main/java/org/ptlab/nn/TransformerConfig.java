package org.ptlab.nn;

import org.ptlab.tensor.DType;

/**
 * Everything that fixes a transformer's shape and arithmetic. A preset ({@link Presets}) is one of these, never a
 * second implementation. Saved as {@code config.json} beside the weights ({@link ConfigJson}).
 *
 * @param vocabSize token vocabulary; 0 = the model reads vectors (the paper's toy layer reads X ∈ R^{m×d})
 * @param maxPositions longest sequence, prompt included (learned positions need a row per position)
 * @param typeVocabSize token-type (segment) embeddings as in BERT; 0 = none (BERT adds type 0 everywhere)
 * @param dModel width d of every token vector
 * @param layers number of transformer blocks
 * @param heads attention heads h
 * @param headSize size s of one head (h·s need not equal d: W_o maps h·s back to d)
 * @param mlpHidden hidden width r of the token-wise MLP
 * @param activation MLP non-linearity
 * @param positional how positions enter: learned table, fixed sinusoids, or not at all
 * @param norm where layer norm sits in a block: none (the paper's layer), pre (GPT) or post (BERT)
 * @param embeddingNorm a layer norm right after the embeddings sum (BERT)
 * @param causal query i sees only keys ≤ i (a prefix/prompt stays visible)
 * @param attentionBias Q, K, V and O projections carry biases
 * @param scoreScale multiplies q·k before the softmax: 1/√s for BERT/GPT, 1 for the paper (scale folded in W_K)
 * @param layerNormEps ε of every layer norm
 * @param dropout dropout after attention and MLP outputs and on the embeddings, in training only
 * @param head what sits on top of the encoder
 * @param pooling how a classification head reads a sequence
 * @param outputs classes (CLASSIFY) or output width per position (REGRESS); ignored otherwise
 * @param initStd std of random weight init; 0 = N(0, 1/fan_in) (the paper's convention)
 * @param dtype element type of every weight and activation
 */
public record TransformerConfig(
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    int dModel,
    int layers,
    int heads,
    int headSize,
    int mlpHidden,
    Activation activation,
    Positional positional,
    NormPlacement norm,
    boolean embeddingNorm,
    boolean causal,
    boolean attentionBias,
    double scoreScale,
    double layerNormEps,
    double dropout,
    Head head,
    Pooling pooling,
    int outputs,
    double initStd,
    DType dtype) {

  /** MLP non-linearity. */
  public enum Activation { RELU, GELU }

  /** Positional encodings. */
  public enum Positional { LEARNED, SINUSOIDAL, NONE }

  /** Layer-norm placement inside a block. */
  public enum NormPlacement { NONE, PRE, POST }

  /** The output head. NONE returns the final hidden states (the paper's τ(X)). */
  public enum Head { NONE, CLASSIFY, REGRESS, LM }

  /** How CLASSIFY reduces a sequence: mean over real input tokens, or the first input token ([CLS]). */
  public enum Pooling { MEAN, FIRST }

  public TransformerConfig {
    positive("dModel", dModel);
    positive("layers", layers);
    positive("heads", heads);
    positive("headSize", headSize);
    positive("mlpHidden", mlpHidden);
    positive("maxPositions", maxPositions);
    nonNegative("vocabSize", vocabSize);
    nonNegative("typeVocabSize", typeVocabSize);
    if (activation == null || positional == null || norm == null || head == null || pooling == null || dtype == null) {
      throw new IllegalArgumentException("config: activation, positional, norm, head, pooling and dtype must be set");
    }
    if (!(scoreScale > 0) || !Double.isFinite(scoreScale)) {
      throw new IllegalArgumentException("config: scoreScale must be a positive number, got " + scoreScale);
    }
    if (!(layerNormEps > 0)) throw new IllegalArgumentException("config: layerNormEps must be > 0, got " + layerNormEps);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("config: dropout must be in [0, 1), got " + dropout);
    if (!(initStd >= 0)) throw new IllegalArgumentException("config: initStd must be >= 0, got " + initStd);
    if ((head == Head.CLASSIFY || head == Head.REGRESS) && outputs < 1) {
      throw new IllegalArgumentException("config: head " + head + " needs outputs >= 1, got " + outputs);
    }
    if (head == Head.LM && vocabSize == 0) {
      throw new IllegalArgumentException("config: head LM needs a token vocabulary (vocabSize > 0)");
    }
  }

  /** h·s, the width of the concatenated heads (and of a prefix's keys and values). */
  public int attentionWidth() {
    return heads * headSize;
  }

  /** A copy with another head. */
  public TransformerConfig withHead(Head newHead, Pooling newPooling, int newOutputs) {
    return new TransformerConfig(vocabSize, maxPositions, typeVocabSize, dModel, layers, heads, headSize, mlpHidden,
        activation, positional, norm, embeddingNorm, causal, attentionBias, scoreScale, layerNormEps, dropout,
        newHead, newPooling, newOutputs, initStd, dtype);
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException("config: " + name + " must be >= 1, got " + v);
  }

  private static void nonNegative(String name, int v) {
    if (v < 0) throw new IllegalArgumentException("config: " + name + " must be >= 0, got " + v);
  }
}
