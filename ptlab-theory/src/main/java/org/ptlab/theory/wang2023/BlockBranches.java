package org.ptlab.theory.wang2023;

import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * The two residual branches of each block of a {@link Transformer} without layer norm, as separate differentiable
 * maps: the attention branch Att_ℓ and the MLP branch g_ℓ, so that a bound can be checked branch by branch and a
 * block inverted branch by branch ({@link ResidualFixedPointInverse}). Same weights and the same fused attention op
 * as the model; {@code BlockBranchesTest} checks that composing them reproduces {@code Transformer.encode}.
 *
 * <p>Tokens are rows: u [B, T, d]. A prompt P [m_p, d] sits before the input rows (position 0).
 */
public final class BlockBranches {
  private final Transformer model;
  private final TransformerConfig config;

  /** The branches of {@code model}, which must have no layer norm (the paper's layer). */
  public BlockBranches(Transformer model) {
    this.model = model;
    this.config = model.config();
    if (config.norm() != TransformerConfig.NormPlacement.NONE || config.embeddingNorm()) {
      throw new IllegalArgumentException("block branches: the model has layer norm " + config.norm()
          + "; the residual-branch view needs the paper's layer (norm NONE)");
    }
  }

  public TransformerConfig config() {
    return config;
  }

  /** Att_ℓ(U) for every row of u [B, T, d] → [B, T, d] (causal if the model is). */
  public Tensor attention(int layer, Tensor u) {
    String p = "encoder.layer." + layer + ".attention.";
    Tensor q = u.linear(w(p + "self.query.weight"), b(p + "self.query.bias")); // [B, T, h·s]
    Tensor k = u.linear(w(p + "self.key.weight"), b(p + "self.key.bias"));
    Tensor v = u.linear(w(p + "self.value.weight"), b(p + "self.value.bias"));
    Tensor heads = Tensor.attention(q, k, v, config.heads(), config.scoreScale(), null, config.causal());
    return heads.linear(w(p + "output.dense.weight"), b(p + "output.dense.bias")); // [B, T, d]
  }

  /**
   * Att_ℓ at the input rows of [S; U], where S [m_p, d] are the prompt rows' states entering layer ℓ (held fixed;
   * null for none): u [B, m, d] → [B, m, d].
   */
  public Tensor attentionAtInputs(int layer, Tensor promptState, Tensor u) {
    if (promptState == null) return attention(layer, u);
    int b = u.dim(0);
    int mp = promptState.dim(0);
    Tensor full = attention(layer, Tensor.concat(1, promptState.expand(b, mp, u.dim(2)), u)); // [B, m_p + m, d]
    return full.slice(1, mp, mp + u.dim(1));
  }

  /** g_ℓ(z) = W2 σ(W1 z + b1) + b2, token-wise: z [.., d] → [.., d]. */
  public Tensor mlp(int layer, Tensor z) {
    String p = "encoder.layer." + layer + ".";
    Tensor h = z.linear(w(p + "intermediate.dense.weight"), b(p + "intermediate.dense.bias")); // [.., r]
    h = switch (config.activation()) {
      case RELU -> h.relu();
      case GELU -> h.gelu();
      case GELU_TANH -> h.geluTanh();
    };
    return h.linear(w(p + "output.dense.weight"), b(p + "output.dense.bias")); // [.., d]
  }

  /** Block ℓ on a whole sequence x [B, T, d]: H = X + Att(X), out = H + g(H). */
  public Tensor block(int layer, Tensor x) {
    Tensor h = x.add(attention(layer, x)); // [B, T, d]
    return h.add(mlp(layer, h));
  }

  /** τ_P(X): the final states at the input rows of [P; X]; prompt [m_p, d] or null, x [B, m, d] → [B, m, d]. */
  public Tensor encode(Tensor prompt, Tensor x) {
    int mp = prompt == null ? 0 : prompt.dim(0);
    Tensor h = prompt == null ? x : Tensor.concat(1, prompt.expand(x.dim(0), mp, x.dim(2)), x);
    for (int l = 0; l < config.layers(); l++) h = block(l, h);
    return mp == 0 ? h : h.slice(1, mp, mp + x.dim(1));
  }

  /**
   * The prompt rows' states entering each layer, S_0 = P, …, S_{L−1} [m_p, d], for a causal model (where they do
   * not depend on the input); null entries when there is no prompt.
   */
  public Tensor[] promptStates(Tensor prompt) {
    Tensor[] s = new Tensor[config.layers()];
    if (prompt == null) return s;
    if (!config.causal()) {
      throw new IllegalArgumentException("prompt states: with bidirectional attention they depend on the input");
    }
    Tensor h = prompt.reshape(1, prompt.dim(0), prompt.dim(1)); // [1, m_p, d]
    for (int l = 0; l < config.layers(); l++) {
      s[l] = h.reshape(prompt.dim(0), prompt.dim(1));
      h = block(l, h);
    }
    return s;
  }

  private Tensor w(String name) {
    return model.parameters().get(name);
  }

  private Tensor b(String name) {
    return model.parameters().has(name) ? model.parameters().get(name) : null;
  }
}
