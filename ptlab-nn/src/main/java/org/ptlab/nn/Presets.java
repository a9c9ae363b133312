package org.ptlab.nn;

import java.util.List;
import org.ptlab.nn.TransformerConfig.Activation;
import org.ptlab.nn.TransformerConfig.Head;
import org.ptlab.nn.TransformerConfig.NormPlacement;
import org.ptlab.nn.TransformerConfig.Pooling;
import org.ptlab.nn.TransformerConfig.Positional;
import org.ptlab.tensor.DType;

/**
 * The named configurations of DESIGN.md. Each is a {@link TransformerConfig}; change a field with
 * {@code toBuilder()}, or from strings ({@code --set}) with {@link ConfigJson#withOverrides}.
 */
public final class Presets {
  /** The names {@link #of} accepts. */
  public static final List<String> NAMES = List.of("paper", "bert", "gpt");

  private Presets() {}

  /**
   * The seeds' layer of both papers, τ(X) = MLP(Att(X, X) + X) with MLP(z) = z + W2·ReLU(W1·z + b1) + b2: one
   * block, one head of size d, no layer norm, no score scale (1/√d is folded into W_K), no attention biases,
   * vector inputs, no positional encoding, float64. (These are the builder's defaults; they are spelled out so the
   * preset reads whole.)
   */
  public static TransformerConfig paper(int d, int mlpHidden) {
    return TransformerConfig.builder()
        .vocabSize(0).maxPositions(4096).typeVocabSize(0)
        .dModel(d).layers(1).heads(1).headSize(d).mlpHidden(mlpHidden).activation(Activation.RELU)
        .positional(Positional.NONE).norm(NormPlacement.NONE).embeddingNorm(false)
        .causal(false).attentionBias(false).scoreScale(1.0).layerNormEps(1e-5).dropout(0.0)
        .head(Head.NONE).pooling(Pooling.MEAN).outputs(0).initStd(0.0).dtype(DType.F64)
        .build();
  }

  /**
   * The shape of all-MiniLM-L6-v2: vocabulary 30522, 512 learned positions, 2 token types, d = 384, 6 post-LN
   * blocks, 12 heads of 32, FFN 1536 with exact GELU, layer-norm ε 1e-12, float32. Dropout is 0 (Hugging Face
   * trains with 0.1; set {@code dropout} to match).
   */
  public static TransformerConfig bert() {
    return TransformerConfig.builder()
        .vocabSize(30522).maxPositions(512).typeVocabSize(2)
        .dModel(384).layers(6).heads(12).headSize(32).mlpHidden(1536).activation(Activation.GELU)
        .positional(Positional.LEARNED).norm(NormPlacement.POST).embeddingNorm(true)
        .causal(false).attentionBias(true).scoreScale(1 / Math.sqrt(32)).layerNormEps(1e-12).dropout(0.0)
        .head(Head.NONE).pooling(Pooling.MEAN).outputs(0).initStd(0.02).dtype(DType.F32)
        .build();
  }

  /** A small causal decoder: byte vocabulary, d = 128, 4 pre-LN blocks of 4 heads, GELU, final LN, LM head. */
  public static TransformerConfig gpt() {
    return TransformerConfig.builder()
        .vocabSize(256).maxPositions(256).typeVocabSize(0)
        .dModel(128).layers(4).heads(4).headSize(32).mlpHidden(512).activation(Activation.GELU)
        .positional(Positional.LEARNED).norm(NormPlacement.PRE).embeddingNorm(false)
        .causal(true).attentionBias(true).scoreScale(1 / Math.sqrt(32)).layerNormEps(1e-5).dropout(0.0)
        .head(Head.LM).pooling(Pooling.MEAN).outputs(0).initStd(0.02).dtype(DType.F32)
        .build();
  }

  /** The preset called {@code name}: paper (d = 8, MLP 16), bert or gpt. */
  public static TransformerConfig of(String name) {
    return switch (name) {
      case "paper" -> paper(8, 16);
      case "bert" -> bert();
      case "gpt" -> gpt();
      default -> throw new IllegalArgumentException("model: unknown preset '" + name + "' (known: "
          + String.join(", ", NAMES) + ", or a folder with config.json)");
    };
  }
}
