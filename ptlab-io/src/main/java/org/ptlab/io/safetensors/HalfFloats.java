package org.ptlab.io.safetensors;

/**
 * Exact widening of the 16-bit float formats to float32 (every F16 and BF16 value is a float32 value, so nothing
 * rounds). Java 17 has no {@code Float.float16ToFloat} (added in Java 20), hence the bit work.
 */
final class HalfFloats {
  private HalfFloats() {}

  /** IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits. */
  static float f16ToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      // Inf or NaN; the NaN payload moves to the top of float32's mantissa, as hardware conversions do.
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa · 2^-24, exact in float32 (which has 8 exponent bits to spare).
      float magnitude = Math.scalb((float) mantissa, -24);
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** bfloat16 is the top half of a float32. */
  static float bf16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
