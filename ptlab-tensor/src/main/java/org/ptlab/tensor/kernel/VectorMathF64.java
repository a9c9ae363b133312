package org.ptlab.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float64 exp as a loop over an array, vectorized, with a scalar tail that computes the same operations (so an
 * element gets the same bits in a vector or in the tail). The float64 twin of {@link VectorMathF32}'s exp, for the
 * same reasons: {@code lanewise(EXP)} changes its last bits once C2 compiles it, and {@code Math.exp} per element
 * (~3.6 ns here) was most of the time of exact attention over long rows. Only lane-wise FMA, multiply, add,
 * min/max, compare/blend and integer add/shift on the bit pattern: exact IEEE operations, identical interpreted,
 * C1, C2 and in the tail ({@link Math#fma}). Accuracy (tested in {@code VectorMathF64Test}): within 1 ulp of
 * {@code Math.exp}; not bit-equal to it, so code that used {@code Math.exp} keeps it where its bits are relied on.
 */
public final class VectorMathF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorMathF64() {}

  // e^x = 2^k·e^r, k = round(x·log2 e), r = x − k·ln 2 (Cody–Waite, two parts), e^r = 1 + r + r²·Q(r) on
  // |r| ≤ ln2/2 with Q the Taylor series of (e^r − 1 − r)/r² to r^11 (truncation < 1e-17 relative).
  /** Below this the result is 0 (e^−708 ≈ 3e-308: subnormal results are flushed, irrelevant to a softmax). */
  static final double EXP_LO = -708.0;
  /** Inputs are clamped here so that 2^k stays a finite double (e^709 ≈ 8.2e307). */
  static final double EXP_HI = 709.0;
  private static final double LOG2E = 1.4426950408889634;
  /** 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer, which lands in the low bits. */
  private static final double ROUNDER = 6755399441055744.0;
  private static final double LN2_HI = 6.93147180369123816490e-01; // fdlibm: k·LN2_HI is exact for |k| ≤ 1024
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double Q0 = 1.0 / 2;
  private static final double Q1 = 1.0 / 6;
  private static final double Q2 = 1.0 / 24;
  private static final double Q3 = 1.0 / 120;
  private static final double Q4 = 1.0 / 720;
  private static final double Q5 = 1.0 / 5040;
  private static final double Q6 = 1.0 / 40320;
  private static final double Q7 = 1.0 / 362880;
  private static final double Q8 = 1.0 / 3628800;
  private static final double Q9 = 1.0 / 39916800;
  private static final double Q10 = 1.0 / 479001600;
  private static final double Q11 = 1.0 / 6227020800.0;

  // Constants as vectors: an operation on two vectors costs C2 fewer nodes than one with a scalar operand.
  private static final DoubleVector V_ONE = v(1), V_ZERO = v(0), V_EXP_LO = v(EXP_LO), V_EXP_HI = v(EXP_HI);
  private static final DoubleVector V_LOG2E = v(LOG2E), V_ROUNDER = v(ROUNDER), V_NEG_LN2_HI = v(-LN2_HI),
      V_NEG_LN2_LO = v(-LN2_LO);
  private static final DoubleVector VQ0 = v(Q0), VQ1 = v(Q1), VQ2 = v(Q2), VQ3 = v(Q3), VQ4 = v(Q4), VQ5 = v(Q5),
      VQ6 = v(Q6), VQ7 = v(Q7), VQ8 = v(Q8), VQ9 = v(Q9), VQ10 = v(Q10), VQ11 = v(Q11);

  private static DoubleVector v(double c) {
    return DoubleVector.broadcast(S, c);
  }

  /**
   * a[off+i] ← e^{scale·a[off+i] − shift} in place, for i in [0, n): 0 where the exponent is below
   * {@link #EXP_LO}, e^709 above {@link #EXP_HI}, NaN stays NaN. Modifies a.
   */
  public static void exp(double[] a, int off, int n, double scale, double shift) {
    DoubleVector vs = v(scale);
    DoubleVector vShift = v(shift);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      DoubleVector x = DoubleVector.fromArray(S, a, off + i).mul(vs).sub(vShift);
      DoubleVector xc = x.max(V_EXP_LO).min(V_EXP_HI);
      DoubleVector t = xc.fma(V_LOG2E, V_ROUNDER); // ROUNDER + k
      DoubleVector k = t.sub(V_ROUNDER);
      DoubleVector r = k.fma(V_NEG_LN2_HI, xc);
      r = k.fma(V_NEG_LN2_LO, r);
      DoubleVector q = r.fma(VQ11, VQ10).fma(r, VQ9).fma(r, VQ8).fma(r, VQ7).fma(r, VQ6).fma(r, VQ5).fma(r, VQ4)
          .fma(r, VQ3).fma(r, VQ2).fma(r, VQ1).fma(r, VQ0);
      DoubleVector er = q.fma(r.mul(r), r).add(V_ONE);
      // 2^k: the low bits of t hold k (t's exponent field shifts out), so (bits(t) + 1023) << 52 has k + 1023 as
      // its exponent
      DoubleVector pow2 = t.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      er.mul(pow2).blend(V_ZERO, x.compare(VectorOperators.LT, V_EXP_LO)).intoArray(a, off + i);
    }
    for (; i < n; i++) { // the same operations on one double
      double x = a[off + i] * scale - shift;
      double xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
      double t = Math.fma(xc, LOG2E, ROUNDER);
      double k = t - ROUNDER;
      double r = Math.fma(k, -LN2_HI, xc);
      r = Math.fma(k, -LN2_LO, r);
      double q = Math.fma(r, Q11, Q10);
      q = Math.fma(q, r, Q9);
      q = Math.fma(q, r, Q8);
      q = Math.fma(q, r, Q7);
      q = Math.fma(q, r, Q6);
      q = Math.fma(q, r, Q5);
      q = Math.fma(q, r, Q4);
      q = Math.fma(q, r, Q3);
      q = Math.fma(q, r, Q2);
      q = Math.fma(q, r, Q1);
      q = Math.fma(q, r, Q0);
      double er = Math.fma(q, r * r, r) + 1.0;
      double pow2 = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + 1023L) << 52);
      a[off + i] = x < EXP_LO ? 0.0 : er * pow2;
    }
  }
}
