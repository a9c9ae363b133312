package org.ptlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 exp and standard normal CDF Φ on whole vectors, each with a scalar twin that gives the same bits (for
 * loop tails).
 *
 * <p>Why not {@code lanewise(EXP)} or {@code Math.exp}: the Vector API's transcendental lanewise ops give other
 * last bits once C2 compiles them (an SVML stub) than interpreted, so a run's bits would depend on JIT warm-up; and
 * {@code Math.exp} per lane is scalar (GELU spent ~20 % of MiniLM's forward in it). These functions use only
 * lane-wise FMA, multiply, add, divide, min/max, compare/blend and integer add/shift on the bit pattern: each is an
 * exact IEEE operation, so interpreted, C1 and C2 code, and the scalar twins (with {@link Math#fma}), agree bit for
 * bit. Coefficients: least-squares Chebyshev fits (numpy, mpmath reference) rounded to float; accuracy as tested in
 * {@code VectorMathF32Test}.
 */
public final class VectorMathF32 {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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

  // The same constants as vectors, for FMAs with a vector operand (saves a broadcast per use).
  private static final FloatVector V_NEG_LN2_HI = v(-LN2_HI), V_NEG_LN2_LO = v(-LN2_LO), V_ONE = v(1f);
  private static final FloatVector VQ0 = v(Q0), VQ1 = v(Q1), VQ2 = v(Q2), VQ3 = v(Q3), VQ4 = v(Q4), VQ5 = v(Q5);
  private static final FloatVector VR0 = v(R0), VR1 = v(R1), VR2 = v(R2), VR3 = v(R3), VR4 = v(R4), VR5 = v(R5),
      VR6 = v(R6);
  private static final FloatVector VH0 = v(H0), VH1 = v(H1), VH2 = v(H2), VH3 = v(H3), VH4 = v(H4), VH5 = v(H5),
      VH6 = v(H6), VH7 = v(H7), VH8 = v(H8), VH9 = v(H9);

  private static FloatVector v(float c) {
    return FloatVector.broadcast(S, c);
  }

  /*
   * Compiled size. A Vector API value that crosses a call C2 did not inline is boxed, and a Vector API operation C2
   * did not intrinsify runs its Java fallback: ~10× slower either way, and allocating. C2 stops inlining ordinary
   * methods once the graph it is compiling passes a node budget (NodeCountInliningCutoff), and stops intrinsifying
   * (late inlining) past a larger one; each Vector API operation costs many nodes before it is intrinsified. So
   * exp(FloatVector) is for small loop bodies only, and Φ is two loops of ~30 operations in two methods: as one
   * loop of ~60, about half of the JVM runs compiled it without intrinsics (measured on JDK 25).
   */

  /** e^x lane-wise; 0 below {@link #EXP_LO}, e^88 above {@link #EXP_HI}, NaN stays NaN. For small loop bodies. */
  public static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_LO).min(EXP_HI);
    FloatVector t = xc.fma(LOG2E, ROUNDER); // ROUNDER + n
    FloatVector r = t.sub(ROUNDER).fma(V_NEG_LN2_HI, xc);
    r = t.sub(ROUNDER).fma(V_NEG_LN2_LO, r);
    FloatVector q = r.fma(VQ5, VQ4).fma(r, VQ3).fma(r, VQ2).fma(r, VQ1).fma(r, VQ0);
    FloatVector er = q.fma(r.mul(r), r).add(1f);
    // 2^n: the low bits of t hold n (t's exponent field shifts out), so (bits(t) + 127) << 23 is n + 127 as exponent
    FloatVector pow2 = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return er.mul(pow2).blend(0f, x.compare(VectorOperators.LT, EXP_LO));
  }

  /** The scalar twin of {@link #exp(FloatVector)}: the same operations, the same bits. */
  public static float exp(float x) {
    float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
    float t = Math.fma(xc, LOG2E, ROUNDER);
    float r = Math.fma(t - ROUNDER, -LN2_HI, xc);
    r = Math.fma(t - ROUNDER, -LN2_LO, r);
    float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, Q5, Q4), r, Q3), r, Q2), r, Q1), r, Q0);
    float er = Math.fma(q, r * r, r) + 1f;
    float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) + 127) << 23);
    return x < EXP_LO ? 0f : er * pow2;
  }

  /** out[oo+i] = Φ(x[xo+i]) for i in [0, n), the standard normal CDF (NaN stays NaN). out must not overlap x. */
  public static void normalCdf(float[] x, int xo, float[] out, int oo, int n) {
    int bound = S.loopBound(n);
    halfErfcLoop(x, xo, out, oo, bound);
    cdfLoop(x, xo, out, oo, bound);
    for (int i = bound; i < n; i++) out[oo + i] = normalCdf(x[xo + i]);
  }

  /** out ← ½·erfc(|z|) = ½·e^{−z²}·H(t), z = x/√2, on whole vectors (n a multiple of the vector length). */
  private static void halfErfcLoop(float[] x, int xo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i += S.length()) {
      FloatVector az = FloatVector.fromArray(S, x, xo + i).mul(INV_SQRT2).abs().min(Z_MAX);
      FloatVector u = V_ONE.div(az.fma(0.5f, 1f)).fma(T_SCALE, T_SHIFT);
      FloatVector h = u.fma(VH9, VH8).fma(u, VH7).fma(u, VH6).fma(u, VH5).fma(u, VH4).fma(u, VH3).fma(u, VH2)
          .fma(u, VH1).fma(u, VH0);
      // e = e^{−zz}, zz = az² ≤ Z_MAX²: exp(FloatVector) written out, without its clamps (−zz is in range)
      FloatVector zz = az.mul(az);
      FloatVector xc = zz.neg();
      FloatVector t = xc.fma(LOG2E, ROUNDER);
      FloatVector k = t.sub(ROUNDER);
      FloatVector r = k.fma(V_NEG_LN2_HI, xc);
      r = k.fma(V_NEG_LN2_LO, r);
      FloatVector q = r.fma(VQ5, VQ4).fma(r, VQ3).fma(r, VQ2).fma(r, VQ1).fma(r, VQ0);
      FloatVector pow2 = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector e = q.fma(r.mul(r), r).add(1f).mul(pow2);
      FloatVector zzErr = az.fma(az, xc); // az² − zz exactly
      e = e.neg().fma(zzErr, e); // e^{−zz−zzErr} ≈ e^{−zz}·(1 − zzErr)
      e.mul(h).mul(0.5f).intoArray(out, oo + i);
    }
  }

  /** out ← Φ(x) from out = ½·erfc(|z|) (tails), or the −½ < z < 1 branch; on whole vectors. */
  private static void cdfLoop(float[] x, int xo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i += S.length()) {
      FloatVector z = FloatVector.fromArray(S, x, xo + i).mul(INV_SQRT2);
      FloatVector halfErfc = FloatVector.fromArray(S, out, oo + i);
      FloatVector large = halfErfc.blend(halfErfc.neg().add(1f), z.compare(VectorOperators.GT, 0f));
      FloatVector s = z.mul(z);
      FloatVector rs = s.fma(VR6, VR5).fma(s, VR4).fma(s, VR3).fma(s, VR2).fma(s, VR1).fma(s, VR0);
      FloatVector small = z.fma(rs, z).fma(0.5f, 0.5f);
      large.blend(small, z.compare(VectorOperators.GT, -0.5f).and(z.compare(VectorOperators.LT, 1f)))
          .intoArray(out, oo + i);
    }
  }

  /** Φ(x) for one float: the same operations as a lane of {@link #normalCdf(float[], int, float[], int, int)}. */
  public static float normalCdf(float x) {
    float z = x * INV_SQRT2;
    float az = Math.min(Math.abs(z), Z_MAX);
    if (z > -0.5f && z < 1f) {
      float s = z * z;
      float rs = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s, R6, R5), s, R4), s, R3), s, R2), s, R1), s,
          R0);
      return Math.fma(Math.fma(z, rs, z), 0.5f, 0.5f);
    }
    float t = 1f / Math.fma(az, 0.5f, 1f);
    float u = Math.fma(t, T_SCALE, T_SHIFT);
    float h = Math.fma(u, H9, H8);
    h = Math.fma(h, u, H7);
    h = Math.fma(h, u, H6);
    h = Math.fma(h, u, H5);
    h = Math.fma(h, u, H4);
    h = Math.fma(h, u, H3);
    h = Math.fma(h, u, H2);
    h = Math.fma(h, u, H1);
    h = Math.fma(h, u, H0);
    float zz = az * az;
    float zzErr = Math.fma(az, az, -zz);
    float e = exp(-zz);
    e = Math.fma(-e, zzErr, e);
    float halfErfc = e * h * 0.5f;
    return z > 0f ? -halfErfc + 1f : halfErfc;
  }
}
