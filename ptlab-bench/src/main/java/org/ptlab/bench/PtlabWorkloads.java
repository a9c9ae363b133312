package org.ptlab.bench;

import java.util.ArrayList;
import java.util.List;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tuning.TunedModel;

/**
 * The workloads' steps on PTLab: forward, loss, {@code loss.backward()}, an Adam step on the trainable tensors, zero
 * the gradients. The small workloads are written here with engine ops, and {@link TorchWorkloads} mirrors them line
 * by line. The MiniLM workloads run ptlab-nn's {@code Transformer} under a ptlab-tuning method in a
 * {@link TunedModel}, exactly as training does ({@code TunedModel.forward} then {@code crossEntropy}); the torch side
 * writes that model's forward out with NDArray ops. Shapes: B batch, m input tokens, m_p prompt rows,
 * T = m_p + m, d width.
 */
public final class PtlabWorkloads {
  private PtlabWorkloads() {}

  /** A fresh training loop on {@code data}: the prompt is copied, so runs on the same data start equal. */
  public static Runner create(Workloads.Data data) {
    return new Runner(data);
  }

  /** One workload's training loop. */
  public static final class Runner implements Workloads.Step {
    private final Workloads.Data data;
    private final Workloads.Spec spec;
    private final Tensor prompt; // P [m_p, d], the only trainable tensor (hand-written kinds)
    private final TunedModel tuned; // the model under its method (MiniLM kinds)
    private final ModelInput input; // the token ids (MiniLM kinds)
    private final List<Tensor> trainable; // in data.trainable() order
    private final Adam adam;

    Runner(Workloads.Data data) {
      this.data = data;
      this.spec = data.spec();
      if (spec.kind().model()) {
        Workloads.Bert bert = data.bert();
        this.prompt = null;
        this.tuned = TunedModel.of(bert.model(), bert.method().get()); // freezes the model, head included
        this.input = ModelInput.ofTokens(bert.tokens());
        this.trainable = new ArrayList<>();
        for (String key : data.trainable()) trainable.add(tuned.trainable().get(key));
      } else {
        this.prompt = data.get("P").copy().requiresGrad(true).named("P");
        this.tuned = null;
        this.input = null;
        this.trainable = List.of(prompt);
      }
      this.adam = new Adam(trainable, AdamConfig.adam(Workloads.LR));
    }

    @Override
    public double step() {
      Tensor loss = forward();
      double value = loss.item();
      update(loss);
      return value;
    }

    @Override
    public double[] gradient() {
      forward().backward();
      int n = 0;
      for (Tensor t : trainable) n += t.numel();
      double[] g = new double[n];
      int at = 0;
      for (Tensor t : trainable) {
        if (t.grad() != null) System.arraycopy(t.grad().toDoubleArray(), 0, g, at, t.numel()); // null: no part in the loss
        at += t.numel();
      }
      adam.zeroGrad();
      return g;
    }

    /** Backward from {@code loss}, one Adam step, zero the gradient. */
    public void update(Tensor loss) {
      loss.backward();
      adam.step();
      adam.zeroGrad();
    }

    /** The forward pass up to the scalar loss (the graph stays alive until {@link #update}). */
    public Tensor forward() {
      if (tuned != null) return tuned.forward(input, ForwardMode.EVAL).crossEntropy(data.labels()); // logits [B, C] → CE
      Tensor z = withPrompt(); // [B, T, d]
      return switch (spec.kind()) {
        case SEED -> seedLoss(z);
        case PRE_LN -> preLnLoss(z);
        case ATT_MLP -> attMlpLoss(z);
        case MINILM_PROMPT, MINILM_LORA -> throw new IllegalStateException("unreachable");
      };
    }

    /** Z = [P; X]: the prompt repeated over the batch, then the inputs → [B, T, d]. */
    private Tensor withPrompt() {
      Tensor x = data.get("X");
      Tensor repeated = prompt.expand(spec.batch(), spec.prompt(), spec.d()); // [B, m_p, d]
      return Tensor.concat(1, repeated, x);
    }

    /** τ(Z) = H + W2 relu(W1 H + b1) + b2 with H = Z + Att(Z); MSE against Y at the input rows. */
    private Tensor seedLoss(Tensor z) {
      Tensor h = z.add(attention(z, "l0.", false)); // [B, T, d]
      Tensor mlp = linear(linear(h, "l0.w1", "l0.b1").relu(), "l0.w2", "l0.b2");
      Tensor out = h.add(mlp).slice(1, spec.prompt(), spec.seq()); // [B, m, d]
      return out.mse(data.get("Y"));
    }

    /** Pre-LN blocks, final LN, mean-pool over the input rows, Linear head, cross-entropy. */
    private Tensor preLnLoss(Tensor x) {
      for (int l = 0; l < spec.layers(); l++) {
        String p = "l" + l + ".";
        Tensor h = x.add(attention(layerNorm(x, p + "ln1"), p, true)); // [B, T, d]
        Tensor mlp = linear(linear(layerNorm(h, p + "ln2"), p + "w1", p + "b1").gelu(), p + "w2", p + "b2");
        x = h.add(mlp);
      }
      return poolHeadLoss(layerNorm(x, "lnf"));
    }

    /** H = Z + Att(Z) (one head, no biases), then relu MLP without residual, mean-pool, head, cross-entropy. */
    private Tensor attMlpLoss(Tensor z) {
      Tensor h = z.add(attention(z, "l0.", false)); // [B, T, d]
      Tensor mlp = linear(linear(h, "l0.w1", "l0.b1").relu(), "l0.w2", "l0.b2"); // [B, T, d]
      return poolHeadLoss(mlp);
    }

    /** Mean over the m input rows → [B, d], head → [B, C], mean cross-entropy over the batch. */
    private Tensor poolHeadLoss(Tensor y) {
      Tensor pooled = y.slice(1, spec.prompt(), spec.seq()).mean(1, false); // [B, d]
      return linear(pooled, "head.w", "head.b").crossEntropy(data.labels());
    }

    /** Multi-head attention O(Attn(Q, K, V)) on [B, T, d]; Q/K/V/O with biases if {@code biased}. */
    private Tensor attention(Tensor z, String p, boolean biased) {
      Tensor q = linear(z, p + "wq", biased ? p + "bq" : null);
      Tensor k = linear(z, p + "wk", biased ? p + "bk" : null);
      Tensor v = linear(z, p + "wv", biased ? p + "bv" : null);
      Tensor heads = Tensor.attention(q, k, v, spec.heads(), spec.scale(), null, false); // [B, T, d]
      return linear(heads, p + "wo", biased ? p + "bo" : null);
    }

    /**
     * x·Wᵀ (+ b): x [.., in], W [out, in], b [out] or null → [.., out]. The engine's fused linear (what ptlab-nn's
     * Linear runs; the same bits as matmul then add), as torch's F.linear is one addmm.
     */
    private Tensor linear(Tensor x, String w, String b) {
      return x.linear(data.get(w), b == null ? null : data.get(b));
    }

    private Tensor layerNorm(Tensor x, String p) {
      return x.layerNorm(data.get(p + ".g"), data.get(p + ".b"), 1e-5);
    }
  }
}
