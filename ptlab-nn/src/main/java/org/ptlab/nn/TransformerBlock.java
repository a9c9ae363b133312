package org.ptlab.nn;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;

/**
 * One block: attention and MLP, each with a residual, and layer norms where the config puts them.
 * <ul>
 *   <li>NONE (the paper): H = X + Att(X), out = H + g(H), i.e. τ(X) = MLP(Att(X, X) + X);
 *   <li>PRE (GPT): H = X + Att(LN1(X)), out = H + g(LN2(H));
 *   <li>POST (BERT): H = LN1(X + Att(X)), out = LN2(H + g(H)).
 * </ul>
 * A block of kind MLP (no attention) or ATTENTION (no MLP) drops the other branch with its residual and norm:
 * NONE gives out = X + g(X) or out = X + Att(X).
 */
final class TransformerBlock {
  private final TransformerConfig config;
  private final SelfAttention attention;
  private final FeedForward mlp;
  private final LayerNorm norm1;
  private final LayerNorm norm2;

  TransformerBlock(ParameterSet params, int layer, TransformerConfig c) {
    String prefix = "encoder.layer." + layer + ".";
    this.config = c;
    TransformerConfig.BlockKind kind = c.blockKind(layer);
    boolean att = kind != TransformerConfig.BlockKind.MLP;
    boolean ff = kind != TransformerConfig.BlockKind.ATTENTION;
    this.attention = att ? new SelfAttention(params, prefix, layer, c) : null;
    this.mlp = ff ? new FeedForward(params, prefix, layer, c) : null;
    boolean norms = c.norm() != TransformerConfig.NormPlacement.NONE;
    this.norm1 = norms && att ? new LayerNorm(params, prefix + "attention.output.LayerNorm", c.dModel(), c.layerNormEps()) : null;
    this.norm2 = norms && ff ? new LayerNorm(params, prefix + "output.LayerNorm", c.dModel(), c.layerNormEps()) : null;
  }

  /** x [B, T, d] → [B, T, d]. */
  Tensor forward(Tensor x, Tensor attendMask, ForwardHooks hooks, ForwardMode pass, AttentionKernel kernel) {
    if (attention == null) return mlpOnly(x, hooks, pass);
    if (mlp == null) return attentionOnly(x, attendMask, hooks, pass, kernel);
    switch (config.norm()) {
      case PRE -> {
        Tensor h = x.add(drop(attention.forward(norm1.forward(x), attendMask, hooks, pass, kernel), pass));
        return h.add(drop(mlp.forward(norm2.forward(h), hooks, pass), pass));
      }
      case POST -> { // the branch outputs are fresh: the norms may write over them (LayerNorm.forward(x, r))
        Tensor h = norm1.forward(x, drop(attention.forward(x, attendMask, hooks, pass, kernel), pass));
        return norm2.forward(h, drop(mlp.forward(h, hooks, pass), pass));
      }
      default -> {
        Tensor h = x.add(drop(attention.forward(x, attendMask, hooks, pass, kernel), pass));
        return h.add(drop(mlp.forward(h, hooks, pass), pass));
      }
    }
  }

  private Tensor mlpOnly(Tensor x, ForwardHooks hooks, ForwardMode pass) {
    return switch (config.norm()) {
      case PRE -> x.add(drop(mlp.forward(norm2.forward(x), hooks, pass), pass));
      case POST -> norm2.forward(x, drop(mlp.forward(x, hooks, pass), pass));
      default -> x.add(drop(mlp.forward(x, hooks, pass), pass));
    };
  }

  private Tensor attentionOnly(Tensor x, Tensor attendMask, ForwardHooks hooks, ForwardMode pass, AttentionKernel kernel) {
    return switch (config.norm()) {
      case PRE -> x.add(drop(attention.forward(norm1.forward(x), attendMask, hooks, pass, kernel), pass));
      case POST -> norm1.forward(x, drop(attention.forward(x, attendMask, hooks, pass, kernel), pass));
      default -> x.add(drop(attention.forward(x, attendMask, hooks, pass, kernel), pass));
    };
  }

  private Tensor drop(Tensor x, ForwardMode pass) {
    return config.dropout() > 0 ? x.dropout(config.dropout(), pass.rng(), pass.training()) : x;
  }

  /**
   * {@link #forward} for one decoding step (evaluation, no padding): the same branches, with attention reading and
   * extending {@code cache}.
   */
  Tensor decode(Tensor x, DecodeCache cache, ForwardHooks hooks, AttentionKernel kernel) {
    ForwardMode pass = ForwardMode.EVAL;
    if (attention == null) return mlpOnly(x, hooks, pass);
    java.util.function.UnaryOperator<Tensor> att = in -> attention.decode(in, cache, hooks, kernel);
    if (mlp == null) {
      return switch (config.norm()) {
        case PRE -> x.add(att.apply(norm1.forward(x)));
        case POST -> norm1.forward(x, att.apply(x));
        default -> x.add(att.apply(x));
      };
    }
    return switch (config.norm()) {
      case PRE -> {
        Tensor h = x.add(att.apply(norm1.forward(x)));
        yield h.add(mlp.forward(norm2.forward(h), hooks, pass));
      }
      case POST -> {
        Tensor h = norm1.forward(x, att.apply(x));
        yield norm2.forward(h, mlp.forward(h, hooks, pass));
      }
      default -> {
        Tensor h = x.add(att.apply(x));
        yield h.add(mlp.forward(h, hooks, pass));
      }
    };
  }
}
