package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * Ops that split large inputs over the pool (layer norm by rows, element-wise binaries by chunks) give the same bits
 * as the same op on each small piece, which runs on the calling thread: the split never changes a result.
 */
class PooledOpsTest {
  @Test
  void layerNormRowsMatchOneRowAtATime() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(5);
      int rows = 300;
      int d = 389; // not a multiple of 4: the partial sums' tail runs too
      Tensor x = Tensor.randn(rng, dt, 2, rows, d).requiresGrad(true);
      Tensor gamma = Tensor.randn(rng, dt, 1, d);
      Tensor beta = Tensor.randn(rng, dt, 1, d);
      Tensor seed = Tensor.randn(rng, dt, 1, rows, d);
      Tensor y = x.layerNorm(gamma, beta, 1e-12); // 300 rows: several pool tasks
      y.backward(seed, false);
      for (int r = 0; r < rows; r++) {
        Tensor xr = x.detach().slice(0, r, r + 1).copy().requiresGrad(true);
        Tensor yr = xr.layerNorm(gamma, beta, 1e-12); // one row: the calling thread
        yr.backward(seed.slice(0, r, r + 1).copy(), false);
        assertArrayEquals(y.detach().slice(0, r, r + 1).toDoubleArray(), yr.toDoubleArray(), 0.0, dt + " y row " + r);
        assertArrayEquals(x.grad().slice(0, r, r + 1).toDoubleArray(), xr.grad().toDoubleArray(), 0.0,
            dt + " dx row " + r);
      }
    }
  }

  @Test
  void binaryChunksMatchOneRowAtATime() {
    for (DType dt : DType.values()) {
      Rng rng = new Rng(6);
      int rows = 97;
      int d = 1031;
      Tensor a = Tensor.randn(rng, dt, 1, rows, d);
      Tensor b = Tensor.randn(rng, dt, 1, rows, d);
      Tensor bias = Tensor.randn(rng, dt, 1, d);
      Tensor full = a.div(b); // 100k elements: several pool tasks
      Tensor suffix = a.sub(bias);
      Tensor prefix = bias.mul(a);
      for (int r = 0; r < rows; r++) {
        Tensor ar = a.slice(0, r, r + 1);
        Tensor br = b.slice(0, r, r + 1);
        assertArrayEquals(ar.div(br).toDoubleArray(), full.slice(0, r, r + 1).toDoubleArray(), 0.0, dt + " full");
        assertArrayEquals(ar.sub(bias).toDoubleArray(), suffix.slice(0, r, r + 1).toDoubleArray(), 0.0, dt + " suffix");
        assertArrayEquals(bias.mul(ar).toDoubleArray(), prefix.slice(0, r, r + 1).toDoubleArray(), 0.0, dt + " prefix");
      }
    }
  }

  @Test
  void frozenOperandGetsNoGradient() {
    Rng rng = new Rng(7);
    Tensor x = Tensor.randn(rng, DType.F32, 1, 4, 8).requiresGrad(true);
    Tensor bias = Tensor.randn(rng, DType.F32, 1, 8); // frozen
    x.add(bias).sub(bias).sum().backward();
    assertNull(bias.grad());
    assertArrayEquals(Tensor.ones(DType.F32, 4, 8).toDoubleArray(), x.grad().toDoubleArray(), 0.0);
  }
}
