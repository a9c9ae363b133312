package org.ptlab.tuning.lora;

import org.ptlab.nn.ForwardMode;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The update of one linear module: y + scaling·(dropout(x)·Aᵀ)·Bᵀ, A [r, in], B [out, r]. */
final class LoraLayer {
  final String module;
  final Tensor a; // [r, in]
  final Tensor b; // [out, r]
  private final Tensor frozen; // W [out, in] of the module, for merge
  private final double scaling;
  private final double dropout;
  private boolean merged;

  LoraLayer(String module, Tensor frozen, LoraConfig config, Rng rng) {
    this.module = module;
    this.frozen = frozen;
    int out = frozen.dim(0);
    int in = frozen.dim(1);
    DType dt = frozen.dtype();
    // PEFT: kaiming_uniform_(A, a=√5) = U(−1/√in, 1/√in); B = 0, so the update starts at exactly 0
    double bound = 1 / Math.sqrt(in);
    this.a = Tensor.rand(rng, dt, -bound, bound, config.r(), in).requiresGrad(true).named(module + ".lora_A");
    this.b = Tensor.zeros(dt, out, config.r()).requiresGrad(true).named(module + ".lora_B");
    this.scaling = config.scaling();
    this.dropout = config.dropout();
  }

  /** x [.., in], y = x·Wᵀ + b [.., out] → y + the low-rank update (nothing once merged). */
  Tensor apply(Tensor x, Tensor y, ForwardMode pass) {
    if (merged) return y;
    Tensor in = dropout > 0 ? x.dropout(dropout, pass.rng(), pass.training()) : x;
    return y.add(in.matmul(a, false, true).matmul(b, false, true).mul(scaling)); // [.., r] → [.., out]
  }

  /** W += scaling·B·A (or −= on unmerge), in place, outside autograd. */
  void merge(boolean on) {
    if (merged == on) return;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor delta = b.detach().matmul(a.detach()).mul(on ? scaling : -scaling); // [out, in]
      frozen.copyFrom(frozen.detach().add(delta));
    }
    merged = on;
  }

  boolean merged() {
    return merged;
  }
}
