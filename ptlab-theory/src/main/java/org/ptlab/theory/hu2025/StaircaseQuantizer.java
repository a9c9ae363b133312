package org.ptlab.theory.hu2025;

/**
 * FF_1 of the universality construction (spec hu2025.md §2.2 Step D.1, two-FFN version) [D]: a token-wise ReLU
 * layer whose block output z + g(z) is the staircase ⌊z/δ⌋·δ on every coordinate, for z ∈ [0, n).
 *
 * <p>The block has a residual (FF(z) = z + g(z), spec §0.1), so g must be the staircase minus the identity:
 * <pre>
 *   g(z)_c = −ReLU(z_c) + ReLU(−z_c) + Σ_{i=1}^{K−1} (δ/η)·(ReLU(z_c − t_i + η) − ReLU(z_c − t_i)),  t_i = iδ,
 * </pre>
 * K = n/δ steps (positions add the integer k to every entry of token k, so the range is [0, n), not [0, 1)).
 * Each step is a ramp of width η just below its threshold: a point exactly on the grid gets the full step, a point
 * within η below a threshold gets a partial one. That band has measure η/δ per entry (the "quantizer error" of
 * check U2). η = δ/1024 keeps the band small and, for dyadic δ, every operation on grid points exact. Width: 2K
 * per coordinate.
 */
public final class StaircaseQuantizer {
  /** η/δ: the relative width of each step's ramp. */
  public static final double ETA_FRACTION = 1.0 / 1024;

  private StaircaseQuantizer() {}

  /** Hidden width for d coordinates and K = {@code steps} grid steps over [0, n). */
  public static int width(int d, int steps) {
    return 2 * steps * d;
  }

  /** The weights for tokens of width d, grid width δ = 1/levels, positions 0…n−1 (K = n·levels steps). */
  public static FeedForwardWeights weights(int d, int n, int levels) {
    int steps = n * levels;
    double delta = 1.0 / levels;
    double eta = delta * ETA_FRACTION;
    FeedForwardWeights w = FeedForwardWeights.zeros(d, width(d, steps));
    int h = 0;
    for (int c = 0; c < d; c++) {
      h = neuron(w, h, c, 1, 0, -1); // −ReLU(z_c)
      h = neuron(w, h, c, -1, 0, 1); // +ReLU(−z_c): with the line above, exactly −z_c
      for (int i = 1; i < steps; i++) {
        double t = i * delta;
        h = neuron(w, h, c, 1, -t + eta, delta / eta);
        h = neuron(w, h, c, 1, -t, -delta / eta);
      }
    }
    return w;
  }

  /** Hidden unit h reads coordinate c with weight {@code in} and bias b, and writes {@code out} into coordinate c. */
  private static int neuron(FeedForwardWeights w, int h, int c, double in, double b, double out) {
    w.w1()[h * w.d() + c] = in;
    w.b1()[h] = b;
    w.w2()[c * w.hidden() + h] = out;
    return h + 1;
  }

  /** The staircase itself, ⌊z/δ⌋·δ (what the block computes off the ramps). */
  public static double floor(double z, int levels) {
    return Math.floor(z * levels) / levels;
  }
}
