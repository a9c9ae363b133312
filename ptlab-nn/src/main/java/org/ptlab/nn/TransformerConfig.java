package org.ptlab.nn;

import java.util.List;
import org.ptlab.tensor.DType;

/**
 * Everything that fixes a transformer's shape and arithmetic. A preset ({@link Presets}) is one of these, never a
 * second implementation. Saved as {@code config.json} beside the weights ({@link ConfigJson}). Build one with
 * {@link #builder()}, change fields of one with {@link #toBuilder()}.
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
 * @param blocks per-layer block layouts ({@link BlockSpec}: kind, MLP width, heads), one per layer; empty = every
 *     block is attention + MLP with {@code heads} and {@code mlpHidden} (the behaviour of config files without
 *     this key)
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
    DType dtype,
    List<BlockSpec> blocks) {

  /**
   * MLP non-linearity: ReLU, exact GELU x·Φ(x), or GELU's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
   * that GPT-2 configs call {@code gelu_new}.
   */
  public enum Activation { RELU, GELU, GELU_TANH }

  /** Positional encodings. */
  public enum Positional { LEARNED, SINUSOIDAL, NONE }

  /** Layer-norm placement inside a block. */
  public enum NormPlacement { NONE, PRE, POST }

  /** The output head. NONE returns the final hidden states (the paper's τ(X)). */
  public enum Head { NONE, CLASSIFY, REGRESS, LM }

  /** How CLASSIFY reduces a sequence: mean over real input tokens, or the first input token ([CLS]). */
  public enum Pooling { MEAN, FIRST }

  /** What a block holds: attention then MLP (every preset), an MLP only, or attention only (each with its residual). */
  public enum BlockKind { ATTENTION_MLP, MLP, ATTENTION }

  /**
   * One block's layout, for models whose blocks differ (the universality constructions: a quantizer MLP without
   * attention, then attention with a wide lookup MLP).
   *
   * @param kind which branches the block has
   * @param mlpHidden its MLP width; 0 = the config's {@code mlpHidden} (ignored for ATTENTION)
   * @param heads its attention heads (of the config's {@code headSize}); 0 = the config's {@code heads}
   */
  public record BlockSpec(BlockKind kind, int mlpHidden, int heads) {
    public BlockSpec {
      if (kind == null) throw new IllegalArgumentException("config: blocks[].kind must be set, got null");
      if (mlpHidden < 0) throw new IllegalArgumentException("config: blocks[].mlpHidden must be >= 0, got " + mlpHidden);
      if (heads < 0) throw new IllegalArgumentException("config: blocks[].heads must be >= 0, got " + heads);
    }
  }

  /** The 22 fields of configs without per-layer blocks (every block attention + MLP, as before {@code blocks}). */
  public TransformerConfig(int vocabSize, int maxPositions, int typeVocabSize, int dModel, int layers, int heads,
      int headSize, int mlpHidden, Activation activation, Positional positional, NormPlacement norm,
      boolean embeddingNorm, boolean causal, boolean attentionBias, double scoreScale, double layerNormEps,
      double dropout, Head head, Pooling pooling, int outputs, double initStd, DType dtype) {
    this(vocabSize, maxPositions, typeVocabSize, dModel, layers, heads, headSize, mlpHidden, activation, positional,
        norm, embeddingNorm, causal, attentionBias, scoreScale, layerNormEps, dropout, head, pooling, outputs,
        initStd, dtype, List.of());
  }

  public TransformerConfig {
    positive("dModel", dModel);
    positive("layers", layers);
    positive("heads", heads);
    positive("headSize", headSize);
    positive("mlpHidden", mlpHidden);
    positive("maxPositions", maxPositions);
    nonNegative("vocabSize", vocabSize);
    nonNegative("typeVocabSize", typeVocabSize);
    set("activation", activation);
    set("positional", positional);
    set("norm", norm);
    set("head", head);
    set("pooling", pooling);
    set("dtype", dtype);
    if (!(scoreScale > 0) || !Double.isFinite(scoreScale)) {
      throw new IllegalArgumentException("config: scoreScale must be a positive number, got " + scoreScale);
    }
    if (!(layerNormEps > 0)) throw new IllegalArgumentException("config: layerNormEps must be > 0, got " + layerNormEps);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("config: dropout must be in [0, 1), got " + dropout);
    if (!(initStd >= 0)) throw new IllegalArgumentException("config: initStd must be >= 0, got " + initStd);
    if ((head == Head.CLASSIFY || head == Head.REGRESS) && outputs < 1) {
      throw new IllegalArgumentException("config: head " + head + " needs outputs >= 1, got " + outputs);
    }
    blocks = blocks == null ? List.of() : List.copyOf(blocks);
    if (!blocks.isEmpty() && blocks.size() != layers) {
      throw new IllegalArgumentException("config: blocks lists " + blocks.size() + " layouts for layers = " + layers);
    }
    if (head == Head.LM && vocabSize == 0) {
      throw new IllegalArgumentException("config: head LM needs a token vocabulary (vocabSize > 0)");
    }
  }

  /** h·s, the width of the concatenated heads (and of a prefix's keys and values). */
  public int attentionWidth() {
    return heads * headSize;
  }

  /** Block {@code layer}'s kind (ATTENTION_MLP unless {@code blocks} says otherwise). */
  public BlockKind blockKind(int layer) {
    return blocks.isEmpty() ? BlockKind.ATTENTION_MLP : blocks.get(layer).kind();
  }

  /** Block {@code layer}'s MLP width. */
  public int mlpHidden(int layer) {
    int w = blocks.isEmpty() ? 0 : blocks.get(layer).mlpHidden();
    return w > 0 ? w : mlpHidden;
  }

  /** Block {@code layer}'s number of heads. */
  public int heads(int layer) {
    int h = blocks.isEmpty() ? 0 : blocks.get(layer).heads();
    return h > 0 ? h : heads;
  }

  /** A copy with another head. */
  public TransformerConfig withHead(Head newHead, Pooling newPooling, int newOutputs) {
    return toBuilder().head(newHead).pooling(newPooling).outputs(newOutputs).build();
  }

  /**
   * A builder that starts from the paper layer's settings (vector inputs, 4096 positions, one block, one head, ReLU,
   * no positions, no layer norm, no biases, score scale 1, ε 1e-5, no dropout, no head, N(0, 1/fan_in) init,
   * float64) with the sizes {@code dModel}, {@code headSize} and {@code mlpHidden} unset (0): {@link Builder#build}
   * rejects them until they are set.
   *
   * <pre>{@code
   * TransformerConfig c = TransformerConfig.builder().dModel(8).headSize(8).mlpHidden(16).build();
   * TransformerConfig wide = c.toBuilder().mlpHidden(64).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this config; {@code toBuilder().build()} equals this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabSize; b.maxPositions = maxPositions; b.typeVocabSize = typeVocabSize; b.dModel = dModel;
    b.layers = layers; b.heads = heads; b.headSize = headSize; b.mlpHidden = mlpHidden;
    b.activation = activation; b.positional = positional; b.norm = norm; b.embeddingNorm = embeddingNorm;
    b.causal = causal; b.attentionBias = attentionBias; b.scoreScale = scoreScale; b.layerNormEps = layerNormEps;
    b.dropout = dropout; b.head = head; b.pooling = pooling; b.outputs = outputs; b.initStd = initStd;
    b.dtype = dtype; b.blocks = blocks;
    return b;
  }

  /**
   * Sets fields by name (one setter per record component, documented there) and builds with the record's checks,
   * so a bad value fails at {@link #build} with a message naming the field.
   */
  public static final class Builder {
    private int vocabSize;
    private int maxPositions = 4096;
    private int typeVocabSize;
    private int dModel;
    private int layers = 1;
    private int heads = 1;
    private int headSize;
    private int mlpHidden;
    private Activation activation = Activation.RELU;
    private Positional positional = Positional.NONE;
    private NormPlacement norm = NormPlacement.NONE;
    private boolean embeddingNorm;
    private boolean causal;
    private boolean attentionBias;
    private double scoreScale = 1.0;
    private double layerNormEps = 1e-5;
    private double dropout;
    private Head head = Head.NONE;
    private Pooling pooling = Pooling.MEAN;
    private int outputs;
    private double initStd;
    private DType dtype = DType.F64;
    private List<BlockSpec> blocks = List.of();

    private Builder() {}

    public Builder vocabSize(int v) { vocabSize = v; return this; }
    public Builder maxPositions(int v) { maxPositions = v; return this; }
    public Builder typeVocabSize(int v) { typeVocabSize = v; return this; }
    public Builder dModel(int v) { dModel = v; return this; }
    public Builder layers(int v) { layers = v; return this; }
    public Builder heads(int v) { heads = v; return this; }
    public Builder headSize(int v) { headSize = v; return this; }
    public Builder mlpHidden(int v) { mlpHidden = v; return this; }
    public Builder activation(Activation v) { activation = v; return this; }
    public Builder positional(Positional v) { positional = v; return this; }
    public Builder norm(NormPlacement v) { norm = v; return this; }
    public Builder embeddingNorm(boolean v) { embeddingNorm = v; return this; }
    public Builder causal(boolean v) { causal = v; return this; }
    public Builder attentionBias(boolean v) { attentionBias = v; return this; }
    public Builder scoreScale(double v) { scoreScale = v; return this; }
    public Builder layerNormEps(double v) { layerNormEps = v; return this; }
    public Builder dropout(double v) { dropout = v; return this; }
    public Builder head(Head v) { head = v; return this; }
    public Builder pooling(Pooling v) { pooling = v; return this; }
    public Builder outputs(int v) { outputs = v; return this; }
    public Builder initStd(double v) { initStd = v; return this; }
    public Builder dtype(DType v) { dtype = v; return this; }
    public Builder blocks(List<BlockSpec> v) { blocks = v; return this; }

    /** The config; throws IllegalArgumentException naming the first bad field. */
    public TransformerConfig build() {
      return new TransformerConfig(vocabSize, maxPositions, typeVocabSize, dModel, layers, heads, headSize,
          mlpHidden, activation, positional, norm, embeddingNorm, causal, attentionBias, scoreScale, layerNormEps,
          dropout, head, pooling, outputs, initStd, dtype, blocks);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) throw new IllegalArgumentException("config: " + name + " must be >= 1, got " + v);
  }

  private static void set(String name, Object v) {
    if (v == null) throw new IllegalArgumentException("config: " + name + " must be set, got null");
  }

  private static void nonNegative(String name, int v) {
    if (v < 0) throw new IllegalArgumentException("config: " + name + " must be >= 0, got " + v);
  }
}
