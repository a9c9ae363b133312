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
 * {@link ConfigJson#withOverrides}.
 */
public final class Presets {
  /** The names {@link #of} accepts. */
  public static final List<String> NAMES = List.of("paper", "bert", "gpt");

  private Presets() {}

  /**
   * The seeds' layer of both papers, τ(X) = MLP(Att(X, X) + X) with MLP(z) = z + W2·ReLU(W1·z + b1) + b2: one
   * block, one head of size d, no layer norm, no score scale (1/√d is folded into W_K), no attention biases,
   * vector inputs, no positional encoding, float64.
   */
  public static TransformerConfig paper(int d, int mlpHidden) {
    return new TransformerConfig(0, 4096, 0, d, 1, 1, d, mlpHidden, Activation.RELU, Positional.NONE,
        NormPlacement.NONE, false, false, false, 1.0, 1e-5, 0.0, Head.NONE, Pooling.MEAN, 0, 0.0, DType.F64);
  }

  /**
   * The shape of all-MiniLM-L6-v2: vocabulary 30522, 512 learned positions, 2 token types, d = 384, 6 post-LN
   * blocks, 12 heads of 32, FFN 1536 with exact GELU, layer-norm ε 1e-12, float32. Dropout is 0 (Hugging Face
   * trains with 0.1; set {@code dropout} to match).
   */
  public static TransformerConfig bert() {
    return new TransformerConfig(30522, 512, 2, 384, 6, 12, 32, 1536, Activation.GELU, Positional.LEARNED,
        NormPlacement.POST, true, false, true, 1 / Math.sqrt(32), 1e-12, 0.0, Head.NONE, Pooling.MEAN, 0, 0.02,
        DType.F32);
  }

  /** A small causal decoder: byte vocabulary, d = 128, 4 pre-LN blocks of 4 heads, GELU, final LN, LM head. */
  public static TransformerConfig gpt() {
    return new TransformerConfig(256, 256, 0, 128, 4, 4, 32, 512, Activation.GELU, Positional.LEARNED,
        NormPlacement.PRE, false, true, true, 1 / Math.sqrt(32), 1e-5, 0.0, Head.LM, Pooling.MEAN, 0, 0.02,
        DType.F32);
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
