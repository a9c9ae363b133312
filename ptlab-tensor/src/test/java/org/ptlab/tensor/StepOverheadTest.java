package org.ptlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.kernel.ElementwiseF64;
import org.ptlab.tensor.random.Rng;

/**
 * The per-step shortcuts of the small-tensor paths keep the bits: gradients of a tensor with many consumers are
 * summed in place in the backward's order, exactly as sums of fresh tensors were, and nobody else's gradient is written;
 * the short-row exponential sums in the order the lane-wise loop used.
 */
class StepOverheadTest {
  @Test
  void manyConsumersSumTheirGradientsInOrderWithoutTouchingOthers() {
    for (DType dt : DType.values()) {
      for (int n : new int[] {24, 40_000}) { // one chunk, and pooled chunks
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, dt, 1, n).requiresGrad(true);
        Tensor z = x.mul(Tensor.randn(rng, dt, 1, n)); // a non-leaf with four consumers
        Tensor[] w = new Tensor[4];
        Tensor loss = null;
        for (int i = 0; i < 4; i++) {
          w[i] = Tensor.randn(rng, dt, 1, n);
          Tensor term = z.mul(w[i]).sum();
          loss = loss == null ? term : loss.add(term);
        }
        Tensor w0 = w[0].copy();
        Tensor zSaved = z.detach().copy();
        loss.backward();
        // the backward reaches the consumers last-built first: dz = ((w3 + w2) + w1) + w0, each sum rounded to the
        // dtype (as the fresh-tensor sums did); then dx = dz ⊙ mult
        Tensor dz = w[3].add(w[2]).add(w[1]).add(w[0]);
        Rng again = new Rng(3);
        Tensor.randn(again, dt, 1, n);
        Tensor mult = Tensor.randn(again, dt, 1, n);
        assertArrayEquals(dz.mul(mult).toDoubleArray(), x.grad().toDoubleArray(), 0.0, dt + " n=" + n);
        assertArrayEquals(w0.toDoubleArray(), w[0].toDoubleArray(), 0.0, "a consumer's tensor was written");
        assertArrayEquals(zSaved.toDoubleArray(), z.detach().toDoubleArray(), 0.0, "z was written");
      }
    }
  }

  @Test
  void reluIsTheScalarDefinitionBitForBitAtEverySize() {
    double[] special = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-310, -1e-310};
    for (DType dt : DType.values()) {
      for (int n : new int[] {7, 100, 40_001}) { // tail only, vectors + tail, pooled chunks
        Rng rng = new Rng(n);
        Tensor x = Tensor.randn(rng, dt, 1, n).requiresGrad(true);
        for (int i = 0; i < special.length; i++) x.setFlat((i * 13) % n, special[i]);
        Tensor g = Tensor.randn(rng, dt, 1, n);
        Tensor y = x.relu();
        y.backward(g, false);
        for (int i = 0; i < n; i++) {
          double v = x.getFlat(i);
          String at = dt + " n=" + n + " x=" + v;
          if (dt == DType.F32) {
            assertEquals(Float.floatToRawIntBits(Math.max((float) v, 0f)), Float.floatToRawIntBits((float) y.getFlat(i)), at);
          } else {
            assertEquals(Double.doubleToRawLongBits(v > 0 ? v : 0), Double.doubleToRawLongBits(y.getFlat(i)), at);
          }
          assertEquals(Double.doubleToRawLongBits(v > 0 ? g.getFlat(i) : 0), Double.doubleToRawLongBits(x.grad().getFlat(i)),
              "grad " + at);
        }
      }
    }
  }

  @Test
  void shortRowExponentialsSumInTheLaneOrder() {
    int lanes = DoubleVector.SPECIES_PREFERRED.length();
    Rng rng = new Rng(9);
    for (int n = 1; n <= 3 * lanes + 1; n++) {
      double[] a = new double[n + 3];
      for (int j = 0; j < a.length; j++) a[j] = 4 * rng.nextGaussian();
      double[] ref = a.clone();
      double max = 1.25;
      double got = ElementwiseF64.expShifted(a, 2, n, 0.7, max);
      // the lane-wise reference: lane k sums elements k, k + L, … of the whole vectors; lanes left to right; then tail
      double[] lane = new double[lanes];
      int whole = n / lanes * lanes;
      for (int j = 0; j < n; j++) ref[2 + j] = Math.exp(0.7 * ref[2 + j] - max);
      for (int j = 0; j < whole; j++) lane[j % lanes] += ref[2 + j];
      double want = 0;
      for (double v : lane) want += v;
      for (int j = whole; j < n; j++) want += ref[2 + j];
      assertEquals(want, got, 0.0, "sum, n=" + n);
      assertArrayEquals(ref, a, 0.0, "values, n=" + n);
    }
  }
}
