package org.ptlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 exp and the standard normal CDF Φ as loops over arrays, vectorized, with scalar tails that compute the
 * same operations (so every element gets the same bits whether it falls in a vector or in the tail).
 *
 * <p>Why not {@code lanewise(EXP)} or {@code Math.exp}: the Vector API's transcendental lanewise ops give other
 * last bits once C2 compiles them (an SVML stub) than interpreted, so a run's bits would depend on JIT warm-up; and
 * {@code Math.exp} per lane is scalar (GELU spent ~20 % of MiniLM's forward in it). These kernels use only lane-wise
 * FMA, multiply, add, divide, min/max, compare/blend and integer add/shift on the bit pattern: each is an exact IEEE
 * operation, so interpreted, C1 and C2 code and the scalar tails (with {@link Math#fma}) agree bit for bit.
 * Coefficients: least-squares Chebyshev fits (numpy, mpmath reference) rounded to float; accuracy as tested in
 * {@code VectorMathF32Test}.
 *
 * <p>Compiled size. A Vector API operation C2 does not intrinsify runs its Java fallback, and a vector that crosses
 * a call C2 did not inline is boxed: ~10× slower either way, and allocating. C2 stops intrinsifying (late inlining)
 * once the graph it compiles passes a node budget, and each Vector API operation costs many nodes before it is
 * intrinsified, more when it takes a scalar operand (a broadcast). Measured on JDK 25: a loop of ~60 operations
 * lost its intrinsics in about half of the JVM runs, a loop of ~27 in about a third, and an exp of ~25 did whenever
 * C2 inlined it into a caller with vector code of its own. Hence: every kernel here is one loop of at most ~23
 * operations on vector constants, those above ~10 operations are written out with their scalar tails so that
 * their bytecode exceeds C2's inlining limit for hot callees (FreqInlineSize, 325 bytes) and they are compiled on
 * their own, and callers pass arrays, never vectors.
 */
public final class VectorMathF32 {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorMathF32() {}

  // ---- exp: e^x = 2^n·e^r, n = round(x·log2 e), r = x − n·ln 2, e^r = 1 + r + r²·q(r) on |r| ≤ ln2/2 (≤ 1 ulp).
  /** Below this, e^x is under float's smallest normal: the result is 0 (subnormals are flushed). */
  static final float EXP_LO = -87.33654f;
  /** Inputs are clamped here so that 2^n stays a normal float (e^88 ≈ 1.65e38). */
  static final float EXP_HI = 88f;
  private static final float LOG2E = 1.44269504f;
  /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer, which lands in the low bits. */
  private static final float ROUNDER = 12582912f;
  private static final float LN2_HI = 0.693359375f; // ln 2 in 9 bits, so n·LN2_HI is exact
  private static final float LN2_LO = -2.12194442e-4f; // ln 2 − LN2_HI
  private static final float Q0 = 0.5f;
  private static final float Q1 = 0.16666667f;
  private static final float Q2 = 0.041666467f;
  private static final float Q3 = 0.008333298f;
  private static final float Q4 = 0.0013933649f;
  private static final float Q5 = 1.9899281e-4f;

  // ---- Φ(x) = ½·erfc(−x/√2), two branches on z = x/√2 (both computed, one kept per lane):
  //  −½ < z < 1:  Φ = ½ + ½·erf(z), erf(z) = z + z·R(z²)    (R a degree-6 fit of erf(z)/z − 1 on |z| ≤ 1)
  //  otherwise:   ½·erfc(|z|) = ½·e^{−z²}·H(t), t = 1/(1 + |z|/2) (H a degree-9 fit of erfc(z)·e^{z²} on ½ ≤ z ≤ 10),
  //               Φ = ½·erfc(|z|) for z < 0 and 1 − ½·erfc(z) for z > 0.
  // The negative tail is e^{−z²}·H, not 1 + erf, so small Φ keep their relative accuracy; z² is split into its
  // float and its rounding error (an FMA), so e^{−z²} does not inherit z²'s rounding. Tested: ≤ 1 ulp of Φ for
  // x ≥ 0, ≤ 6 ulp relative for x < 0 (against Φ of the float z), |error| ≤ 1e-7 against the exact Φ(x).
  private static final float INV_SQRT2 = 0.70710678f;
  private static final float R0 = 0.128379166f;
  private static final float R1 = -0.376126260f;
  private static final float R2 = 0.112835974f;
  private static final float R3 = -0.0268543307f;
  private static final float R4 = 0.00518931355f;
  private static final float R5 = -8.01886315e-4f;
  private static final float R6 = 7.88250400e-5f;
  /**
   * |z| is clamped here: e^{−z²} stays a normal float (no underflow test needed), and beyond it Φ is 1 or below
   * 2e-39 (given as about 1e-39).
   */
  private static final float Z_MAX = 9.3f;
  /** H's variable t ∈ [1/6, 4/5] is mapped to [−1, 1] as u = T_SCALE·t + T_SHIFT. */
  private static final float T_SCALE = 3.15789485f;
  private static final float T_SHIFT = -1.52631581f;
  private static final float H0 = 0.241421744f;
  private static final float H1 = 0.260514051f;
  private static final float H2 = 0.0937748775f;
  private static final float H3 = 0.0199174248f;
  private static final float H4 = 7.85796321e-4f;
  private static final float H5 = -6.93203998e-4f;
  private static final float H6 = -6.94954288e-5f;
  private static final float H7 = 3.88374392e-5f;
  private static final float H8 = 2.75294110e-6f;
  private static final float H9 = -2.42961710e-6f;

  // The constants as vectors: an operation on two vectors costs C2 fewer nodes than one with a scalar operand.
  private static final FloatVector V_ONE = v(1f), V_HALF = v(0.5f), V_INV_SQRT2 = v(INV_SQRT2), V_Z_MAX = v(Z_MAX);
  private static final FloatVector V_EXP_LO = v(EXP_LO), V_EXP_HI = v(EXP_HI), V_LOG2E = v(LOG2E);
  private static final FloatVector V_ROUNDER = v(ROUNDER), V_NEG_LN2_HI = v(-LN2_HI), V_NEG_LN2_LO = v(-LN2_LO);
  private static final FloatVector V_T_SCALE = v(T_SCALE), V_T_SHIFT = v(T_SHIFT), V_ZERO = v(0f);
  private static final FloatVector VQ0 = v(Q0), VQ1 = v(Q1), VQ2 = v(Q2), VQ3 = v(Q3), VQ4 = v(Q4), VQ5 = v(Q5);
  private static final FloatVector VR0 = v(R0), VR1 = v(R1), VR2 = v(R2), VR3 = v(R3), VR4 = v(R4), VR5 = v(R5),
      VR6 = v(R6);
  private static final FloatVector VH0 = v(H0), VH1 = v(H1), VH2 = v(H2), VH3 = v(H3), VH4 = v(H4), VH5 = v(H5),
      VH6 = v(H6), VH7 = v(H7), VH8 = v(H8), VH9 = v(H9);

  private static FloatVector v(float c) {
    return FloatVector.broadcast(S, c);
  }

  /**
   * a[off+i] ← e^{scale·a[off+i] − shift} in place, for i in [0, n): 0 where the exponent is below
   * {@link #EXP_LO}, e^88 above {@link #EXP_HI}, NaN stays NaN. Modifies a.
   */
  public static void exp(float[] a, int off, int n, float scale, float shift) {
    FloatVector vs = v(scale);
    FloatVector vShift = v(shift);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, off + i).mul(vs).sub(vShift);
      FloatVector xc = x.max(V_EXP_LO).min(V_EXP_HI);
      FloatVector t = xc.fma(V_LOG2E, V_ROUNDER); // ROUNDER + k, k = round(x·log2 e)
      FloatVector k = t.sub(V_ROUNDER);
      FloatVector r = k.fma(V_NEG_LN2_HI, xc);
      r = k.fma(V_NEG_LN2_LO, r);
      FloatVector q = r.fma(VQ5, VQ4).fma(r, VQ3).fma(r, VQ2).fma(r, VQ1).fma(r, VQ0);
      FloatVector er = q.fma(r.mul(r), r).add(V_ONE);
      // 2^k: the low bits of t hold k (t's exponent field shifts out), so (bits(t) + 127) << 23 is k + 127 as exponent
      FloatVector pow2 = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      er.mul(pow2).blend(V_ZERO, x.compare(VectorOperators.LT, V_EXP_LO)).intoArray(a, off + i);
    }
    for (; i < n; i++) { // the same operations on one float
      float x = a[off + i] * scale - shift;
      float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
      float t = Math.fma(xc, LOG2E, ROUNDER);
      float k = t - ROUNDER;
      float r = Math.fma(k, -LN2_HI, xc);
      r = Math.fma(k, -LN2_LO, r);
      float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, Q5, Q4), r, Q3), r, Q2), r, Q1), r, Q0);
      float er = Math.fma(q, r * r, r) + 1f;
      float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) + 127) << 23);
      a[off + i] = x < EXP_LO ? 0f : er * pow2;
    }
  }

  /** out[oo+i] = Φ(x[xo+i]) for i in [0, n), the standard normal CDF (NaN stays NaN). out must not overlap x. */
  public static void normalCdf(float[] x, int xo, float[] out, int oo, int n) {
    negZSquared(x, xo, out, oo, n); // out ← −zz, zz = min(|x/√2|, Z_MAX)²
    exp(out, oo, n, 1f, 0f); // out ← e^{−zz} (1·a − 0 is a exactly)
    halfErfc(x, xo, out, oo, n); // out ← ½·erfc(|z|)
    cdfFromTails(x, xo, out, oo, n); // out ← Φ
  }

  /** out ← −zz, zz = az², az = min(|x/√2|, Z_MAX). */
  private static void negZSquared(float[] x, int xo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector az = FloatVector.fromArray(S, x, xo + i).mul(V_INV_SQRT2).abs().min(V_Z_MAX);
      az.mul(az).neg().intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float az = Math.min(Math.abs(x[xo + i] * INV_SQRT2), Z_MAX);
      out[oo + i] = -(az * az);
    }
  }

  /** out = e^{−zz} ← ½·erfc(|z|) = ½·e^{−zz}·(1 − zzErr)·H(t), zzErr = az² − zz exactly (an FMA). */
  private static void halfErfc(float[] x, int xo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector az = FloatVector.fromArray(S, x, xo + i).mul(V_INV_SQRT2).abs().min(V_Z_MAX);
      FloatVector u = V_ONE.div(az.fma(V_HALF, V_ONE)).fma(V_T_SCALE, V_T_SHIFT);
      FloatVector h = u.fma(VH9, VH8).fma(u, VH7).fma(u, VH6).fma(u, VH5).fma(u, VH4).fma(u, VH3).fma(u, VH2)
          .fma(u, VH1).fma(u, VH0);
      FloatVector zzErr = az.fma(az, az.mul(az).neg());
      FloatVector e = FloatVector.fromArray(S, out, oo + i);
      e = e.neg().fma(zzErr, e); // e^{−zz−zzErr} ≈ e^{−zz}·(1 − zzErr)
      e.mul(h).mul(V_HALF).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float az = Math.min(Math.abs(x[xo + i] * INV_SQRT2), Z_MAX);
      float u = Math.fma(1f / Math.fma(az, 0.5f, 1f), T_SCALE, T_SHIFT);
      float h = Math.fma(u, H9, H8);
      h = Math.fma(h, u, H7);
      h = Math.fma(h, u, H6);
      h = Math.fma(h, u, H5);
      h = Math.fma(h, u, H4);
      h = Math.fma(h, u, H3);
      h = Math.fma(h, u, H2);
      h = Math.fma(h, u, H1);
      h = Math.fma(h, u, H0);
      float zzErr = Math.fma(az, az, -(az * az));
      float e = out[oo + i];
      e = Math.fma(-e, zzErr, e);
      out[oo + i] = e * h * 0.5f;
    }
  }

  /** out = ½·erfc(|z|) ← Φ: 1 − out for z > 0, out for z ≤ 0, or ½ + ½·erf(z) where −½ < z < 1. */
  private static void cdfFromTails(float[] x, int xo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector z = FloatVector.fromArray(S, x, xo + i).mul(V_INV_SQRT2);
      FloatVector halfErfc = FloatVector.fromArray(S, out, oo + i);
      FloatVector large = halfErfc.blend(halfErfc.neg().add(V_ONE), z.compare(VectorOperators.GT, V_ZERO));
      FloatVector s = z.mul(z);
      FloatVector rs = s.fma(VR6, VR5).fma(s, VR4).fma(s, VR3).fma(s, VR2).fma(s, VR1).fma(s, VR0);
      FloatVector small = z.fma(rs, z).fma(V_HALF, V_HALF);
      large.blend(small, z.compare(VectorOperators.GT, -0.5f).and(z.compare(VectorOperators.LT, V_ONE)))
          .intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float z = x[xo + i] * INV_SQRT2;
      if (z > -0.5f && z < 1f) {
        float s = z * z;
        float rs = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s, R6, R5), s, R4), s, R3), s, R2), s, R1),
            s, R0);
        out[oo + i] = Math.fma(Math.fma(z, rs, z), 0.5f, 0.5f);
      } else {
        out[oo + i] = z > 0f ? -out[oo + i] + 1f : out[oo + i];
      }
    }
  }
}
