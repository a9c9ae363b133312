package org.ptlab.tensor.kernel;

/**
 * Products of one attention head's small matrices (a few dozen rows and columns) as plain loops: no operand checks,
 * no packing, no scratch of their own. At 8 × 8 × 8 the matmul kernel's dispatch, bounds checks and zero-padded copy
 * of a transposed or partial-vector B cost more than the 512 multiply-adds.
 *
 * <p>Each element of C is one FMA chain from +0 over k in order, the order of the matmul kernel's unpacked
 * ({@code simple}) loops, so the results are those loops' bits. B is read by rows (contiguous); a transposed B is
 * copied first with {@link #transpose}. A is read one scalar at a time, so it may be read transposed in place.
 */
public final class SmallHeadProducts {
  private SmallHeadProducts() {}

  /**
   * c[ci + i·ldc + j] = Σ_k a[ai + i·sAi + k·sAk] · b[bi + k·ldb + j] for i in [0, m), j in [0, n), k in [0, kk) in
   * order, as one FMA chain per element starting from +0. Overwrites those elements of c.
   */
  public static void times(int m, int n, int kk, double[] a, int ai, int sAi, int sAk, double[] b, int bi, int ldb,
      double[] c, int ci, int ldc) {
    for (int i = 0; i < m; i++) {
      int cr = ci + i * ldc;
      for (int j = 0; j < n; j++) c[cr + j] = 0.0;
      for (int k = 0, ak = ai + i * sAi, br = bi; k < kk; k++, ak += sAk, br += ldb) {
        double x = a[ak];
        for (int j = 0; j < n; j++) c[cr + j] = Math.fma(x, b[br + j], c[cr + j]);
      }
    }
  }

  /** The float32 twin of {@link #times(int, int, int, double[], int, int, int, double[], int, int, double[], int, int)}. */
  public static void times(int m, int n, int kk, float[] a, int ai, int sAi, int sAk, float[] b, int bi, int ldb,
      float[] c, int ci, int ldc) {
    for (int i = 0; i < m; i++) {
      int cr = ci + i * ldc;
      for (int j = 0; j < n; j++) c[cr + j] = 0f;
      for (int k = 0, ak = ai + i * sAi, br = bi; k < kk; k++, ak += sAk, br += ldb) {
        float x = a[ak];
        for (int j = 0; j < n; j++) c[cr + j] = Math.fma(x, b[br + j], c[cr + j]);
      }
    }
  }

  /** dst[c·rows + r] = src[off + r·ld + c] for r in [0, rows), c in [0, cols): a [rows, cols] block transposed. */
  public static void transpose(double[] src, int off, int ld, int rows, int cols, double[] dst) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0, s = off + r * ld; c < cols; c++) dst[c * rows + r] = src[s + c];
    }
  }

  /** The float32 twin of {@link #transpose(double[], int, int, int, int, double[])}. */
  public static void transpose(float[] src, int off, int ld, int rows, int cols, float[] dst) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0, s = off + r * ld; c < cols; c++) dst[c * rows + r] = src[s + c];
    }
  }
}
