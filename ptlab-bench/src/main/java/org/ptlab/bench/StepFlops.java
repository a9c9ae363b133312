package org.ptlab.bench;

/**
 * The arithmetic of one MiniLM training step (minilm: prompt tuning; lora-minilm: LoRA r = 8 on W_q and W_v), in
 * floating-point operations (an FMA counts 2), for reporting GFLOP/s. Counted: the linear layers' products, the
 * attention products (Q·Kᵀ and P·V per head), and their backward; the base weights are frozen, so the backward of a
 * linear layer is its input gradient only (one product, as in the forward), and attention's backward is four
 * products (dV, dP, dQ, dK) against the forward's two. LoRA adds x·Aᵀ and (x·Aᵀ)·Bᵀ per adapted module and, in the
 * backward, the gradients of A, B and of x through both. Element-wise work (softmax, GELU, layer norm, Adam) and
 * the classifier head are left out: they are under 1 % of the products.
 */
final class StepFlops {
  private StepFlops() {}

  /** GFLOP per step of {@code spec} (a MiniLM workload). */
  static double gflop(Workloads.Spec spec) {
    double rows = (double) spec.batch() * spec.seq(); // M = B·T
    double d = spec.d();
    double h = spec.hidden();
    double linear = 4 * 2 * rows * d * d + 2 * 2 * rows * d * h; // Q, K, V, O; FFN in and out
    double attention = 2 * 2 * (double) spec.batch() * spec.seq() * spec.seq() * d; // over all heads: H·s = d
    double perLayer = 2 * linear + 3 * attention; // forward + input-gradient backward; attention 2 + 4 products
    if (spec.kind() == Workloads.Kind.MINILM_LORA) {
      double lora = 2 * (2 * rows * d * Workloads.LORA.r() + 2 * rows * Workloads.LORA.r() * d); // 2 modules
      perLayer += 3 * lora; // forward, and backward: dA, dB and dx
    }
    return spec.layers() * perLayer / 1e9;
  }
}
