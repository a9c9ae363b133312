package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** Small models, random data, hand-written linear algebra and a recording attention kernel, shared by the tests. */
final class NnFixtures {
  private NnFixtures() {}

  /** {@code base} with fields replaced, given as "key=value" pairs (through {@link ConfigJson#withOverrides}). */
  static TransformerConfig config(TransformerConfig base, String... keyValues) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return ConfigJson.withOverrides(base, overrides);
  }

  /** N(0, 1) in float64. */
  static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), DType.F64, 1.0, shape);
  }

  /**
   * Overwrites every parameter with random values, so biases and layer-norm shifts are non-zero and gains differ
   * from 1 (a test that leaves them at their init would not see a bias that is added twice or never).
   */
  static Transformer randomize(Transformer model, long seed) {
    Rng rng = new Rng(seed);
    for (Map.Entry<String, Tensor> e : model.parameters().all().entrySet()) {
      Tensor t = e.getValue();
      boolean gain = e.getKey().endsWith("LayerNorm.weight");
      double std = e.getKey().endsWith(".bias") ? 0.5 : gain ? 0.2 : 1 / Math.sqrt(t.dim(t.rank() - 1));
      for (int i = 0; i < t.numel(); i++) t.setFlat(i, (gain ? 1 : 0) + std * rng.nextGaussian());
    }
    return model;
  }

  /** Hooks that prepend {@code prompt} [m_p, d] at {@code position}. */
  static ForwardHooks prompt(Tensor prompt, int position) {
    return new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }

      @Override
      public int promptPosition() {
        return position;
      }
    };
  }

  /** Hooks that add keys {@code kv[layer][0]} and values {@code kv[layer][1]} at every layer. */
  static ForwardHooks prefix(Tensor[][] kv) {
    return new ForwardHooks() {
      @Override
      public Tensor[] prefix(int layer) {
        return kv[layer];
      }
    };
  }

  /** ‖a − b‖ / max(‖a‖, ‖b‖, tiny), over all elements. */
  static double relErr(double[] a, double[] b) {
    assertEquals(a.length, b.length, "lengths differ");
    double diff = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(Math.max(na, nb)), 1e-300);
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    double err = relErr(expected, actual);
    assertTrue(err <= tol, what + ": relative error " + err + " > " + tol);
  }

  static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
    assertEquals(List.of(box(expected.shape())), List.of(box(actual.shape())), what + ": shapes differ");
    assertClose(expected.toDoubleArray(), actual.toDoubleArray(), tol, what);
  }

  private static Integer[] box(int[] a) {
    Integer[] r = new Integer[a.length];
    for (int i = 0; i < a.length; i++) r[i] = a[i];
    return r;
  }

  /** Row {@code row} of a [B, T, n] tensor at batch {@code b}, as a plain array. */
  static double[] row(Tensor t, int b, int row) {
    int n = t.dim(2);
    double[] r = new double[n];
    for (int j = 0; j < n; j++) r[j] = t.get(b, row, j);
    return r;
  }

  /** A [rows, cols] tensor as double[rows][cols]. */
  static double[][] matrix(Tensor t) {
    double[][] m = new double[t.dim(0)][t.dim(1)];
    for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) m[i][j] = t.get(i, j);
    return m;
  }

  /** W·x for W [out][in]. */
  static double[] matVec(double[][] w, double[] x) {
    double[] y = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      double s = 0;
      for (int j = 0; j < x.length; j++) s += w[i][j] * x[j];
      y[i] = s;
    }
    return y;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double[] add(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
    return r;
  }

  static double[] scale(double c, double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) r[i] = c * a[i];
    return r;
  }

  /** Σ_j w_j·vs_j. */
  static double[] combine(double[] w, double[][] vs) {
    double[] r = new double[vs[0].length];
    for (int j = 0; j < w.length; j++) r = add(r, scale(w[j], vs[j]));
    return r;
  }

  static double[] softmax(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) max = Math.max(max, v);
    double z = 0;
    double[] p = new double[s.length];
    for (int i = 0; i < s.length; i++) z += p[i] = Math.exp(s[i] - max);
    for (int i = 0; i < s.length; i++) p[i] /= z;
    return p;
  }

  /** Columns [from, to) of a matrix. */
  static double[][] columns(double[][] w, int from, int to) {
    double[][] r = new double[w.length][to - from];
    for (int i = 0; i < w.length; i++) System.arraycopy(w[i], from, r[i], 0, to - from);
    return r;
  }

  /** Rows [from, to) of a matrix. */
  static double[][] rows(double[][] w, int from, int to) {
    double[][] r = new double[to - from][];
    for (int i = from; i < to; i++) r[i - from] = w[i].clone();
    return r;
  }

  /** One call of the attention kernel: its inputs and output. */
  record AttentionCall(Tensor q, Tensor k, Tensor v, Tensor attendMask, boolean causal, double scale, Tensor out) {}

  /** Delegates to {@link AttentionKernel#EXACT} and keeps every call's q, k, v and output. */
  static final class RecordingKernel implements AttentionKernel {
    final List<AttentionCall> calls = new ArrayList<>();

    @Override
    public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
      Tensor out = EXACT.attend(q, k, v, heads, scale, attendMask, causal);
      calls.add(new AttentionCall(q, k, v, attendMask, causal, scale, out));
      return out;
    }

    @Override
    public String name() {
      return "recording";
    }
  }
}
