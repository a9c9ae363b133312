package org.ptlab.theory.hu2025;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptInit;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.prompt.PromptTuningConfig;

/**
 * The "auto" kernel inside a prompt-tuned transformer (the paper preset with head size 4, sequences of 300): a
 * prompt with small induced keys and queries gives a small R and the polynomial path, whose every call is within
 * its certificate of exact attention on the same inputs and whose prompt gradient matches exact autograd; a large
 * prompt gives a large R, and auto runs the engine's exact kernel.
 */
class AutoKernelInModelTest {
  /** Delegates to {@code inner} and compares every call with exact attention on the same (detached) inputs. */
  static final class Checked implements AttentionKernel {
    final ObservedAttentionKernel inner;
    final List<double[]> errorAndBound = new ArrayList<>();

    Checked(ObservedAttentionKernel inner) {
      this.inner = inner;
    }

    @Override
    public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask, boolean causal) {
      Tensor out = inner.attend(q, k, v, heads, scale, mask, causal);
      try (GradMode.Scope s = GradMode.noGrad()) {
        Tensor exact = AttentionKernel.EXACT.attend(q.copy(), k.copy(), v.copy(), heads, scale, mask, causal);
        errorAndBound.add(new double[] {Data.maxAbsDiff(out.toDoubleArray(), exact.toDoubleArray()),
            inner.lastDecision().bound(), inner.lastDecision().fast() ? 1 : 0});
      }
      return out;
    }

    @Override
    public String name() {
      return inner.name();
    }
  }

  static Transformer model() {
    return Transformer.create(ConfigJson.withOverrides(Presets.paper(8, 16), Map.of("headSize", "4")), new Rng(21));
  }

  static Tensor inputs() {
    return Tensor.rand(new Rng(22), DType.F64, -0.15, 0.15, 2, 300, 8); // [B, L, d]
  }

  /** Output [B, L, d] and dℓ/dP for ℓ = Σ out ⊙ W under {@code kernel}, prompt U(−scale, scale). */
  static Tensor[] run(AttentionKernel kernel, double promptScale) {
    Transformer m = model();
    m.setAttentionKernel(kernel);
    PromptTuning p = PromptTuning.create(new PromptTuningConfig(6, PromptInit.RANDOM, promptScale, null, null, 0, 0,
        null), m, new Rng(23));
    TunedModel tuned = TunedModel.of(m, p);
    Tensor out = tuned.forward(ModelInput.ofVectors(inputs()), ForwardMode.EVAL);
    out.mul(Tensor.randn(new Rng(24), DType.F64, 1, out.shape())).sum().backward();
    return new Tensor[] {out, p.prompt().grad()};
  }

  @Test
  void smallRGoesFastWithinTheCertificateLargeRGoesExact() {
    Checked small = new Checked(new AutoAttentionKernel(1e-7, CostModel.DEFAULT));
    Tensor[] fast = run(small, 0.05);
    Tensor[] exact = run(AttentionKernel.EXACT, 0.05);
    KernelDecision d = small.inner.lastDecision();
    assertTrue(d.fast() && d.range() < 0.5 && d.bound() <= 1e-7, d.toString());
    assertEquals(1, small.errorAndBound.size());
    for (double[] eb : small.errorAndBound) assertTrue(eb[0] <= eb[1], "error " + eb[0] + " > bound " + eb[1]);
    // one layer: |Δτ| ≤ bound·(row sums of W_O)·(1 + ‖W_1‖·‖W_2‖), a few times the bound for these weights
    assertTrue(Data.maxAbsDiff(fast[0].toDoubleArray(), exact[0].toDoubleArray()) < 100 * d.bound());
    double g = 0;
    for (double x : exact[1].toDoubleArray()) g = Math.max(g, Math.abs(x));
    assertTrue(Data.maxAbsDiff(fast[1].toDoubleArray(), exact[1].toDoubleArray()) < 1e-5 * g,
        "the prompt gradient through the fast backward matches exact autograd");

    Checked large = new Checked(new AutoAttentionKernel(1e-7, CostModel.DEFAULT));
    Tensor[] slow = run(large, 20.0);
    KernelDecision e = large.inner.lastDecision();
    assertFalse(e.fast(), e.toString());
    assertTrue(e.range() > 20, e.toString());
    // the exact path is the engine's kernel (equal up to the last bit of its vectorized exp, which differs between
    // interpreted and JIT-compiled code: notes/hu2025.md)
    assertTrue(Data.maxAbsDiff(run(AttentionKernel.EXACT, 20.0)[0].toDoubleArray(), slow[0].toDoubleArray()) < 1e-12);
  }
}
