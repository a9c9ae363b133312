package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradCheck;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.kernel.Parallel;
import org.ptlab.tensor.random.Rng;

/**
 * Attention's direct path for short float64 heads (per (batch, head) loops, no matmul kernel calls) against the
 * GEMM path it replaces: the same bits, forward and backward, with masks, causal and prompt prefixes (Tk > Tq);
 * against finite differences; and the same bits on 1 and 3 threads. Float32 cases check that they are untouched.
 */
class AttentionDirectPathTest {
  private static final Parallel ONE = Parallel.of(1);
  private static final Parallel THREE = Parallel.of(3);

  /** Forward output then the gradients of q, k, v under the loss Σ y⊙w. */
  private static Tensor[] run(Tensor[] in, int h, double scale, Tensor mask, boolean causal, boolean direct,
      Parallel pool, Tensor w) {
    Tensor[] c = {in[0].copy().requiresGrad(true), in[1].copy().requiresGrad(true), in[2].copy().requiresGrad(true)};
    Tensor y = Attention.sdpa(c[0], c[1], c[2], h, scale, mask, causal, direct, pool);
    y.mul(w).sum().backward();
    return new Tensor[] {y, c[0].grad(), c[1].grad(), c[2].grad()};
  }

  private static Tensor[] inputs(Rng rng, DType dt, int b, int tq, int tk, int h, int s, int sv) {
    return new Tensor[] {Tensor.randn(rng, dt, 1, b, tq, h * s), Tensor.randn(rng, dt, 1, b, tk, h * s),
        Tensor.randn(rng, dt, 1, b, tk, h * sv)};
  }

  /** A [b, tk] 0/1 mask with about a quarter hidden; sequence 0 entirely hidden when {@code oneEmpty}. */
  private static Tensor mask(Rng rng, DType dt, int b, int tk, boolean oneEmpty) {
    Tensor m = Tensor.zeros(dt, b, tk);
    for (int i = 0; i < b * tk; i++) m.setFlat(i, (oneEmpty && i < tk) || rng.nextDouble() < 0.25 ? 0 : 1);
    return m;
  }

  private static void assertBits(Tensor want, Tensor got, String what) {
    assertEquals(want.numel(), got.numel(), what);
    for (int i = 0; i < want.numel(); i++) {
      assertEquals(Double.doubleToRawLongBits(want.getFlat(i)), Double.doubleToRawLongBits(got.getFlat(i)),
          what + " at " + i + ": " + want.getFlat(i) + " vs " + got.getFlat(i));
    }
  }

  /** Random shapes around the direct path's limit; every case once per dtype, mask kind and causal flag. */
  @Test
  void directPathHasTheGemmPathsBitsForwardAndBackward() {
    Rng rng = new Rng(2026);
    for (int trial = 0; trial < 24; trial++) {
      int b = 1 + rng.nextInt(3);
      int h = trial % 3 == 0 ? 1 : 1 + rng.nextInt(4);
      int s = 1 + rng.nextInt(9);
      int sv = 1 + rng.nextInt(9);
      int tq = 1 + rng.nextInt(8);
      int tk = tq + (trial % 2 == 0 ? 0 : rng.nextInt(4)); // a prompt prefix of tk − tq keys
      double scale = trial == 5 ? -0.3 : 1 / Math.sqrt(s) * (0.5 + rng.nextDouble());
      for (DType dt : DType.values()) {
        Tensor[] in = inputs(rng, dt, b, tq, tk, h, s, sv);
        Tensor w = Tensor.randn(rng, dt, 1, b, tq, h * sv);
        for (int maskKind = 0; maskKind < 3; maskKind++) {
          Tensor m = maskKind == 0 ? null : mask(rng, dt, b, tk, maskKind == 2);
          for (boolean causal : new boolean[] {false, true}) {
            String what = dt + " b" + b + " h" + h + " s" + s + " sv" + sv + " tq" + tq + " tk" + tk + " mask"
                + maskKind + (causal ? " causal" : "");
            Tensor[] gemm = run(in, h, scale, m, causal, false, Parallel.defaults(), w);
            Tensor[] direct = run(in, h, scale, m, causal, true, Parallel.defaults(), w);
            for (int i = 0; i < 4; i++) assertBits(gemm[i], direct[i], what + " " + "y q k v".split(" ")[i]);
            Tensor inference = Attention.sdpa(in[0], in[1], in[2], h, scale, m, causal, true, Parallel.defaults());
            assertBits(gemm[0], inference, what + " no-grad forward");
          }
        }
      }
    }
  }

  /** At the limit (queries, keys and head widths of Attention.SHORT_ROWS), with a partial last vector of columns. */
  @Test
  void directPathHasTheGemmPathsBitsAtTheSizeLimit() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(64);
      int n = Attention.SHORT_ROWS;
      Tensor[] in = inputs(rng, dt, 1, n, n, 2, n, n - 3);
      Tensor w = Tensor.randn(rng, dt, 1, 1, n, 2 * (n - 3));
      Tensor m = mask(rng, dt, 1, n, false);
      Tensor[] gemm = run(in, 2, 0.125, m, false, false, Parallel.defaults(), w);
      Tensor[] direct = run(in, 2, 0.125, m, false, true, Parallel.defaults(), w);
      for (int i = 0; i < 4; i++) assertBits(gemm[i], direct[i], dt + " " + i);
      gemm = run(in, 2, 0.125, null, false, false, Parallel.defaults(), w);
      direct = run(in, 2, 0.125, null, false, true, Parallel.defaults(), w);
      for (int i = 0; i < 4; i++) assertBits(gemm[i], direct[i], dt + " no mask " + i);
    }
  }

  @Test
  void directPathGradientsMatchFiniteDifferences() {
    Rng rng = new Rng(31);
    Tensor m = mask(rng, DType.F64, 2, 7, false);
    m.setFlat(6, 1); // keep one key visible in every row of sequence 0 when causal
    m.setFlat(0, 1);
    m.setFlat(7, 1);
    for (boolean causal : new boolean[] {false, true}) {
      for (Tensor mk : new Tensor[] {null, m}) {
        Tensor[] in = inputs(rng, DType.F64, 2, 5, 7, 2, 3, 4);
        for (Tensor t : in) t.requiresGrad(true);
        double err = GradCheck.relativeError(x -> Tensor.attention(x[0], x[1], x[2], 2, 0.7, mk, causal), in);
        assertTrue(err <= 1e-6, "relative error " + err + (causal ? " causal" : "") + (mk != null ? " masked" : ""));
      }
    }
  }

  /** Enough work to spread the heads over the pool: 1 thread and 3 give the same bits, as does the GEMM path. */
  @Test
  void sameBitsOnOneAndThreeThreads() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(5);
      Tensor[] in = inputs(rng, dt, 64, 7, 8, 4, 8, 8); // 256 heads: above Attention's PARALLEL_WORK
      Tensor w = Tensor.randn(rng, dt, 1, 64, 7, 32);
      Tensor m = mask(rng, dt, 64, 8, false);
      for (boolean causal : new boolean[] {false, true}) {
        Tensor[] one = run(in, 4, 0.25, m, causal, true, ONE, w);
        Tensor[] three = run(in, 4, 0.25, m, causal, true, THREE, w);
        Tensor[] gemm = run(in, 4, 0.25, m, causal, false, THREE, w);
        for (int i = 0; i < 4; i++) {
          assertBits(one[i], three[i], dt + " 1 vs 3 threads " + i);
          assertBits(gemm[i], three[i], dt + " gemm vs direct " + i);
        }
      }
    }
  }
}
