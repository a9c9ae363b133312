package org.ptlab.theory.hu2025;

/**
 * The tight feature map of the polynomial method: every multi-index α ∈ ℕ^s with |α| ≤ g, r = C(s+g, g) of them
 * (spec hu2025.md §4.4, [D]; AS23 count the looser C(2(g+s), 2g)).
 *
 * <p>With P(t) = Σ_j a_j t^j, the multinomial theorem gives P(q·k) = Σ_{|α|≤g} c_α q^α k^α with
 * c_α = a_{|α|}·|α|!/α!, so φ(q)_α = sign(c_α)√|c_α|·q^α and ψ(k)_α = √|c_α|·k^α satisfy φ(q)·ψ(k) = P(q·k).
 *
 * <p>Order: graded, and within a degree each α extends a parent of degree |α|−1 by one variable m ≥ the parent's
 * last variable, so every α appears once and x^α = x^{parent}·x_m: one multiplication per feature, which is why
 * building the features of n rows costs O(n·r). Parents always precede their children.
 *
 * <pre>{@code
 * Monomials mono = new Monomials(4, 10);      // s = 4, g = 10
 * mono.rank();                                // 1001 = C(14, 10)
 * double[] c = mono.weights(approx.coeffs()); // c_α
 * }</pre>
 */
public final class Monomials {
  private final int s;
  private final int g;
  private final int r;
  /** parent[i]: the index of α_i − e_{var[i]} (−1 for α = 0). */
  private final int[] parent;
  private final int[] var;
  private final int[] degree;
  /** The children of α_i (the α with parent i) are the contiguous indices firstChild[i] .. +childCount[i]. */
  private final int[] firstChild;
  private final int[] childCount;
  /** α! of each multi-index. */
  private final double[] alphaFactorial;

  /** Enumerates the multi-indices of s variables up to degree g; the rank must fit an int array. */
  public Monomials(int s, int g) {
    if (s < 1 || g < 0) throw new IllegalArgumentException("Monomials: need s >= 1 and g >= 0, got s=" + s + ", g=" + g);
    double count = binomial(s + g, g);
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Monomials: rank C(" + (s + g) + ", " + g + ") = " + count
          + " features is too large");
    }
    this.s = s;
    this.g = g;
    this.r = (int) count;
    parent = new int[r];
    var = new int[r];
    degree = new int[r];
    alphaFactorial = new double[r];
    int[] lastMult = new int[r]; // multiplicity of the last variable in α
    parent[0] = -1;
    alphaFactorial[0] = 1;
    int next = 1;
    int levelStart = 0;
    int levelEnd = 1;
    for (int d = 1; d <= g; d++) {
      for (int p = levelStart; p < levelEnd; p++) {
        for (int m = d == 1 ? 0 : var[p]; m < s; m++) {
          int mult = d > 1 && m == var[p] ? lastMult[p] + 1 : 1;
          parent[next] = p;
          var[next] = m;
          degree[next] = d;
          lastMult[next] = mult;
          alphaFactorial[next] = alphaFactorial[p] * mult;
          next++;
        }
      }
      levelStart = levelEnd;
      levelEnd = next;
    }
    if (next != r) throw new IllegalStateException("Monomials: enumerated " + next + " != C(s+g, g) = " + r);
    firstChild = new int[r];
    childCount = new int[r];
    for (int i = 1; i < r; i++) { // a parent's children were enumerated together, in order
      if (childCount[parent[i]]++ == 0) firstChild[parent[i]] = i;
    }
  }

  /** s: the number of variables (head size). */
  public int vars() {
    return s;
  }

  /** g: the highest degree. */
  public int maxDegree() {
    return g;
  }

  /** r = C(s+g, g): the number of features. */
  public int rank() {
    return r;
  }

  int parent(int i) {
    return parent[i];
  }

  int var(int i) {
    return var[i];
  }

  /** The first child of α_i (meaningful when {@link #childCount} &gt; 0). */
  int firstChild(int i) {
    return firstChild[i];
  }

  /** How many α have α_i as parent (0 at degree g). */
  int childCount(int i) {
    return childCount[i];
  }

  /** |α_i|. */
  public int degree(int i) {
    return degree[i];
  }

  /** c_α = a_{|α|}·|α|!/α! for the polynomial a_0..a_g (length must be g+1). */
  public double[] weights(double[] a) {
    if (a.length != g + 1) throw new IllegalArgumentException("weights: " + a.length + " coefficients for degree " + g);
    double[] fact = new double[g + 1];
    fact[0] = 1;
    for (int j = 1; j <= g; j++) fact[j] = fact[j - 1] * j;
    double[] c = new double[r];
    for (int i = 0; i < r; i++) c[i] = a[degree[i]] * fact[degree[i]] / alphaFactorial[i];
    return c;
  }

  /** The raw monomials x^α of one vector x [s] into out [r]. */
  public void monomials(double[] x, int xOff, double[] out) {
    out[0] = 1;
    for (int i = 1; i < r; i++) out[i] = out[parent[i]] * x[xOff + var[i]];
  }

  /** φ(x) (query side, signs of c_α included) when {@code query}, else ψ(x): both [r]. */
  public double[] features(double[] x, double[] weights, boolean query) {
    double[] f = new double[r];
    monomials(x, 0, f);
    for (int i = 0; i < r; i++) {
      double w = Math.sqrt(Math.abs(weights[i]));
      f[i] *= query && weights[i] < 0 ? -w : w;
    }
    return f;
  }

  /** C(n, k) as a double (exact below 2^53). */
  public static double binomial(int n, int k) {
    if (k < 0 || k > n) return 0;
    k = Math.min(k, n - k);
    double c = 1;
    for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
    return Math.rint(c);
  }
}
