package org.ptlab.theory.hu2025;

/**
 * The row-wise Kronecker product ⊘ (spec hu2025.md §4.5): (A ⊘ B)_i = A_i ⊗ B_i, so A [n, a] ⊘ B [n, b] is
 * [n, a·b] with (A ⊘ B)[i][x·b + y] = A[i][x]·B[i][y]. It turns a Hadamard product of two low-rank matrices into
 * one low-rank product (check C3):
 * <pre>
 *   (U_1 V_1ᵀ) ⊙ (U_2 V_2ᵀ) = (U_1 ⊘ U_2)(V_1 ⊘ V_2)ᵀ
 * </pre>
 * because Σ_x U_1[i][x]V_1[j][x] · Σ_y U_2[i][y]V_2[j][y] = Σ_{x,y} (U_1[i][x]U_2[i][y])(V_1[j][x]V_2[j][y]).
 * Row-major float64 arrays.
 */
public final class RowKronecker {
  private RowKronecker() {}

  /** A ⊘ B for a [n, ca] and b [n, cb] → [n, ca·cb]. Neither input is modified. */
  public static double[] of(double[] a, double[] b, int n, int ca, int cb) {
    double[] out = new double[n * ca * cb];
    for (int i = 0; i < n; i++) {
      for (int x = 0; x < ca; x++) {
        double ax = a[i * ca + x];
        int o = (i * ca + x) * cb;
        for (int y = 0; y < cb; y++) out[o + y] = ax * b[i * cb + y];
      }
    }
    return out;
  }
}
