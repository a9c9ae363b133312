package org.ptlab.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact attention for query rows against many keys with a short head (the hu2025 regime: s = 4, n = 10^3–10^5), one
 * row at a time and never an [rows, n] probability matrix: out_i = Σ_j e^{scale·q_i·k_j − m_i} v_j / Σ_j e^{…},
 * m_i = scale·max_j q_i·k_j. Keys and values are read transposed (kt [s, n], vt [sv, n], rows of length n), so every
 * pass streams one row of n doubles: 8 keys per vector instead of GEMMs with K = s = 4 and N = sv = 4, which use
 * a fraction of each vector, and the exponentials are {@link VectorMathF64#exp} instead of {@code Math.exp}.
 *
 * <p>Determinism: each output element is one fixed sequence of operations that depends on n alone (dots as FMA
 * chains from 0 in head order; sums lane-wise in two interleaved vector accumulators, then their lanes left to right,
 * then the scalar tail): independent of threads and of how rows are grouped. Not the bits of the GEMM + softmax
 * path (another exp and another summation order); within a few ulp of it.
 */
public final class AttentionRowsF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private AttentionRowsF64() {}

  /**
   * out[oOff + i·ldo + c] for rows i in [0, rows), c in [0, sv): query i is q[qOff + i·ldq …+s). scale ≥ 0. buf: at
   * least n doubles of scratch. Query rows whose scores are not all finite are left to the caller: returns false
   * (after writing the rows before it) if one is met, true otherwise.
   */
  public static boolean rows(double[] q, int qOff, int ldq, int rows, int s, double[] kt, int n, double[] vt, int sv,
      double scale, double[] out, int oOff, int ldo, double[] buf) {
    double[] sums = new double[5];
    for (int i = 0; i < rows; i++) {
      double max;
      if (s == 4) {
        max = scores4(q, qOff + i * ldq, kt, n, buf);
      } else {
        scores(q, qOff + i * ldq, s, kt, n, buf);
        max = max(buf, n);
      }
      if (!Double.isFinite(max)) return false;
      VectorMathF64.exp(buf, 0, n, scale, scale * max);
      int o = oOff + i * ldo;
      if (sv == 4) {
        sumAndDots4(buf, vt, n, sums);
        for (int c = 0; c < 4; c++) out[o + c] = sums[c + 1] / sums[0];
      } else {
        double sum = sum(buf, n);
        for (int c = 0; c < sv; c++) out[o + c] = dot(buf, vt, c * n, n) / sum;
      }
    }
    return true;
  }

  /** Kᵀ: t[m·n + j] = k[kOff + j·ldk + m] for j in [0, n), m in [0, s). */
  public static void transpose(double[] k, int kOff, int ldk, int n, int s, double[] t) {
    for (int j = 0; j < n; j++) {
      int src = kOff + j * ldk;
      for (int m = 0; m < s; m++) t[m * n + j] = k[src + m];
    }
  }

  /** s = 4 in one pass: buf[j] = the same chain as {@link #scores}; returns max_j buf[j]. */
  private static double scores4(double[] q, int qo, double[] kt, int n, double[] buf) {
    double q0 = q[qo];
    double q1 = q[qo + 1];
    double q2 = q[qo + 2];
    double q3 = q[qo + 3];
    DoubleVector v0 = DoubleVector.broadcast(S, q0);
    DoubleVector v1 = DoubleVector.broadcast(S, q1);
    DoubleVector v2 = DoubleVector.broadcast(S, q2);
    DoubleVector v3 = DoubleVector.broadcast(S, q3);
    DoubleVector mx = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) {
      DoubleVector d = DoubleVector.fromArray(S, kt, j).mul(v0);
      d = DoubleVector.fromArray(S, kt, n + j).fma(v1, d);
      d = DoubleVector.fromArray(S, kt, 2 * n + j).fma(v2, d);
      d = DoubleVector.fromArray(S, kt, 3 * n + j).fma(v3, d);
      d.intoArray(buf, j);
      mx = mx.max(d);
    }
    double m = Double.NEGATIVE_INFINITY;
    for (double x : mx.toArray()) m = Math.max(m, x);
    for (; j < n; j++) {
      double d = Math.fma(kt[3 * n + j], q3, Math.fma(kt[2 * n + j], q2, Math.fma(kt[n + j], q1, kt[j] * q0)));
      buf[j] = d;
      m = Math.max(m, d);
    }
    return m;
  }

  /** sv = 4 in one pass: sums[0] = Σ_j e[j], sums[1 + c] = Σ_j e[j]·vt[c·n + j] (one vector accumulator each). */
  private static void sumAndDots4(double[] e, double[] vt, int n, double[] sums) {
    DoubleVector s0 = DoubleVector.zero(S);
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) {
      DoubleVector ev = DoubleVector.fromArray(S, e, j);
      s0 = s0.add(ev);
      a0 = ev.fma(DoubleVector.fromArray(S, vt, j), a0);
      a1 = ev.fma(DoubleVector.fromArray(S, vt, n + j), a1);
      a2 = ev.fma(DoubleVector.fromArray(S, vt, 2 * n + j), a2);
      a3 = ev.fma(DoubleVector.fromArray(S, vt, 3 * n + j), a3);
    }
    double t0 = lanesInOrder(s0);
    double t1 = lanesInOrder(a0);
    double t2 = lanesInOrder(a1);
    double t3 = lanesInOrder(a2);
    double t4 = lanesInOrder(a3);
    for (; j < n; j++) {
      t0 += e[j];
      t1 = Math.fma(e[j], vt[j], t1);
      t2 = Math.fma(e[j], vt[n + j], t2);
      t3 = Math.fma(e[j], vt[2 * n + j], t3);
      t4 = Math.fma(e[j], vt[3 * n + j], t4);
    }
    sums[0] = t0;
    sums[1] = t1;
    sums[2] = t2;
    sums[3] = t3;
    sums[4] = t4;
  }

  /** buf[j] = Σ_m q[qo + m]·kt[m·n + j], an FMA chain from 0 in m order. */
  private static void scores(double[] q, int qo, int s, double[] kt, int n, double[] buf) {
    double q0 = q[qo];
    DoubleVector vq0 = DoubleVector.broadcast(S, q0);
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) {
      DoubleVector.fromArray(S, kt, j).mul(vq0).intoArray(buf, j); // fma(k, q, 0) = k·q exactly rounded
    }
    for (; j < n; j++) buf[j] = kt[j] * q0;
    for (int m = 1; m < s; m++) addScaled(buf, kt, m * n, n, q[qo + m]);
  }

  /** buf[j] = fma(kt[off + j], c, buf[j]). */
  private static void addScaled(double[] buf, double[] kt, int off, int n, double c) {
    DoubleVector vc = DoubleVector.broadcast(S, c);
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) {
      DoubleVector.fromArray(S, kt, off + j).fma(vc, DoubleVector.fromArray(S, buf, j)).intoArray(buf, j);
    }
    for (; j < n; j++) buf[j] = Math.fma(kt[off + j], c, buf[j]);
  }

  private static double max(double[] a, int n) {
    DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) acc = acc.max(DoubleVector.fromArray(S, a, j));
    double m = Double.NEGATIVE_INFINITY;
    for (double x : acc.toArray()) m = Math.max(m, x);
    for (; j < n; j++) m = Math.max(m, a[j]);
    return m;
  }

  private static double sum(double[] a, int n) {
    DoubleVector acc0 = DoubleVector.zero(S);
    DoubleVector acc1 = DoubleVector.zero(S);
    int j = 0;
    for (int bound = S.loopBound(n) - L; j < bound; j += 2 * L) {
      acc0 = acc0.add(DoubleVector.fromArray(S, a, j));
      acc1 = acc1.add(DoubleVector.fromArray(S, a, j + L));
    }
    for (int bound = S.loopBound(n); j < bound; j += L) acc0 = acc0.add(DoubleVector.fromArray(S, a, j));
    double total = lanesInOrder(acc0.add(acc1));
    for (; j < n; j++) total += a[j];
    return total;
  }

  /** Σ_j a[j]·b[bo + j]. */
  private static double dot(double[] a, double[] b, int bo, int n) {
    DoubleVector acc0 = DoubleVector.zero(S);
    DoubleVector acc1 = DoubleVector.zero(S);
    int j = 0;
    for (int bound = S.loopBound(n) - L; j < bound; j += 2 * L) {
      acc0 = DoubleVector.fromArray(S, a, j).fma(DoubleVector.fromArray(S, b, bo + j), acc0);
      acc1 = DoubleVector.fromArray(S, a, j + L).fma(DoubleVector.fromArray(S, b, bo + j + L), acc1);
    }
    for (int bound = S.loopBound(n); j < bound; j += L) {
      acc0 = DoubleVector.fromArray(S, a, j).fma(DoubleVector.fromArray(S, b, bo + j), acc0);
    }
    double total = lanesInOrder(acc0.add(acc1));
    for (; j < n; j++) total = Math.fma(a[j], b[bo + j], total);
    return total;
  }

  /** Σ of the lanes, left to right (not reduceLanes(ADD): its compiled form sums in another order on JDK 25). */
  private static double lanesInOrder(DoubleVector acc) {
    double total = 0;
    for (double x : acc.toArray()) total += x;
    return total;
  }
}
