package org.ptlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import org.ptlab.tensor.Tensor;

/**
 * libtorch's exact attention softmax(scale·QKᵀ)V in float64, computed in blocks of query rows so that each
 * block's scores (blockRows × n) stay in cache, as DESIGN.md's peer number (349 ms at n = 16384, s = 4) was taken;
 * the unblocked form allocates the whole n×n matrix. Tokens are rows: q [nq, s], k [n, s], v [n, dv].
 *
 * <p>Memory: libtorch frees each block's scores, but glibc malloc keeps the freed blocks in the process (its mmap
 * threshold rises to the block size after the first free), so the resident set grows with n²: 8.6 GB after one
 * run at n = 32768 (0.2 GB with {@code MALLOC_MMAP_THRESHOLD_=1048576}, at some cost in page faults), and at
 * n = 65536 it ran the 24 GB machine out of memory. Hence {@link #maxN()}.
 */
final class TorchAttention implements AutoCloseable {
  private final NDManager manager;
  private final NDArray q;
  private final NDArray kt; // Kᵀ [s, n]
  private final NDArray v;
  private final double scale;
  private final int blockRows;

  TorchAttention(NDManager parent, Tensor q, Tensor k, Tensor v, double scale, int blockRows) {
    this.manager = parent.newSubManager();
    this.q = TorchWorkloads.toNd(manager, q);
    this.kt = TorchWorkloads.toNd(manager, k).transpose();
    this.v = TorchWorkloads.toNd(manager, v);
    this.scale = scale;
    this.blockRows = blockRows;
  }

  /** One blocked pass; every intermediate array is freed at once (timing runs). */
  void run() {
    forward().close();
  }

  /** The output [nq, dv] as a Java array (for the agreement check). */
  double[] output() {
    try (NDArray out = forward()) {
      return out.toDoubleArray();
    }
  }

  private NDArray forward() {
    long nq = q.getShape().get(0);
    NDList parts = new NDList();
    for (long i0 = 0; i0 < nq; i0 += blockRows) {
      try (NDScope scope = new NDScope()) { // frees every array made inside, hidden intermediates included
        NDArray qb = q.get(new NDIndex(i0 + ":" + Math.min(nq, i0 + blockRows))); // [rows, s]
        NDArray sc = scale == 1.0 ? qb.matMul(kt) : qb.matMul(kt).mul(scale); // [rows, n]
        NDArray o = sc.softmax(-1).matMul(v); // [rows, dv]
        NDScope.unregister(o);
        parts.add(o);
      }
    }
    NDArray out = NDArrays.concat(parts, 0); // [nq, dv]
    parts.close();
    return out;
  }

  /**
   * The largest n timed: 32768, unless {@code MALLOC_MMAP_THRESHOLD_} is set (then glibc returns large blocks to
   * the system and any n fits).
   */
  static int maxN() {
    return System.getenv("MALLOC_MMAP_THRESHOLD_") != null ? Integer.MAX_VALUE : 1 << 15;
  }

  @Override
  public void close() {
    manager.close();
  }
}
