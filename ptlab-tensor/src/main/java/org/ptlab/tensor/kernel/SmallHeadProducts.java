package org.ptlab.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products of one float64 attention head's small matrices (tiny models: 8 × 8 heads) without the matmul kernel's
 * per-call dispatch and operand checks (attention's direct path, {@code Attention.SHORT_ROWS}).
 *
 * <p>{@code times}: c[ci + i·ldc + j] = Σ_k a[ai + i·sAi + k·sAk] · b[bi + k·ldb + j] for i in [0, m), j in [0, n),
 * k in [0, kk) in order, each element one FMA chain starting from +0, overwriting those elements of c: the order of
 * the matmul kernel's unpacked ({@code simple}) loops, so their bits. Columns go in full vectors of the preferred
 * width, the last partial vector from a zero-padded copy of B's columns into a tile of C. One species and no masks:
 * a second, half-width species (tried for 8-float heads) made every float32 vector loop of the process ~3× slower,
 * the matmul kernel's included, and masked loads fell back to Java loops (blendTemplate) here. B is read by rows; a
 * transposed B is copied first with {@link #transpose}. A is read one scalar at a time, so it may be transposed.
 */
public final class SmallHeadProducts {
  private static final VectorSpecies<Double> DW = DoubleVector.SPECIES_PREFERRED;
  /** Per-thread scratch of the last, partial vector of columns: four rows of C and B's columns, one vector wide. */
  private static final ThreadLocal<double[]> TILE_D = ThreadLocal.withInitial(() -> new double[0]);

  private SmallHeadProducts() {}

  /** See the class comment. */
  public static void times(int m, int n, int kk, double[] a, int ai, int sAi, int sAk, double[] b, int bi, int ldb,
      double[] c, int ci, int ldc) {
    int j = 0;
    for (; j + DW.length() <= n; j += DW.length()) {
      int i = 0;
      for (; i + 4 <= m; i += 4) rows4Wide(kk, a, ai + i * sAi, sAi, sAk, b, bi + j, ldb, c, ci + i * ldc + j, ldc);
      for (; i < m; i++) rowWide(kk, a, ai + i * sAi, sAk, b, bi + j, ldb, c, ci + i * ldc + j);
    }
    if (j < n) { // the last columns, fewer than a vector: B's zero-padded, C through a tile
      int rem = n - j;
      int l = DW.length();
      double[] t = TILE_D.get();
      if (t.length < (kk + 4) * l) {
        t = new double[(kk + 4) * l];
        TILE_D.set(t);
      }
      int bt = 4 * l; // t[0, 4·l): four rows of C; t[bt + k·l + q]: B's last columns, zero-padded to a vector
      for (int k = 0; k < kk; k++) {
        for (int q = 0; q < l; q++) t[bt + k * l + q] = q < rem ? b[bi + k * ldb + j + q] : 0.0;
      }
      for (int i = 0; i < m; i += 4) {
        int rows = Math.min(4, m - i);
        if (rows == 4) {
          rows4Wide(kk, a, ai + i * sAi, sAi, sAk, t, bt, l, t, 0, l);
        } else {
          for (int r = 0; r < rows; r++) rowWide(kk, a, ai + (i + r) * sAi, sAk, t, bt, l, t, r * l);
        }
        for (int r = 0; r < rows; r++) {
          for (int q = 0, cr = ci + (i + r) * ldc + j; q < rem; q++) c[cr + q] = t[r * l + q];
        }
      }
    }
  }


  /* One method per species and row count, so that each vector loop's JIT profile is its own and its species a
     constant (see MatMulKernelF64.column4x2). */

  private static void rows4Wide(int kk, double[] a, int ak, int sAi, int sAk, double[] b, int bk, int ldb, double[] c,
      int ci, int ldc) {
    DoubleVector c0 = DoubleVector.zero(DW);
    DoubleVector c1 = c0;
    DoubleVector c2 = c0;
    DoubleVector c3 = c0;
    for (int k = 0; k < kk; k++, ak += sAk, bk += ldb) {
      DoubleVector y = DoubleVector.fromArray(DW, b, bk);
      c0 = DoubleVector.broadcast(DW, a[ak]).fma(y, c0);
      c1 = DoubleVector.broadcast(DW, a[ak + sAi]).fma(y, c1);
      c2 = DoubleVector.broadcast(DW, a[ak + 2 * sAi]).fma(y, c2);
      c3 = DoubleVector.broadcast(DW, a[ak + 3 * sAi]).fma(y, c3);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
  }

  private static void rowWide(int kk, double[] a, int ak, int sAk, double[] b, int bk, int ldb, double[] c, int ci) {
    DoubleVector acc = DoubleVector.zero(DW);
    for (int k = 0; k < kk; k++, ak += sAk, bk += ldb) {
      acc = DoubleVector.broadcast(DW, a[ak]).fma(DoubleVector.fromArray(DW, b, bk), acc);
    }
    acc.intoArray(c, ci);
  }











  /** dst[c·rows + r] = src[off + r·ld + c] for r in [0, rows), c in [0, cols): a [rows, cols] block transposed. */
  public static void transpose(double[] src, int off, int ld, int rows, int cols, double[] dst) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0, s = off + r * ld; c < cols; c++) dst[c * rows + r] = src[s + c];
    }
  }

}
