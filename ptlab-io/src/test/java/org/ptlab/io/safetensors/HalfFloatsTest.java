package org.ptlab.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every one of the 65536 F16 and BF16 bit patterns against the formats' definitions, evaluated in double. */
class HalfFloatsTest {
  @Test
  void f16AllPatterns() {
    for (int bits = 0; bits < 0x10000; bits++) {
      int sign = bits >>> 15;
      int exponent = (bits >>> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      float got = HalfFloats.f16ToFloat((short) bits);   // as the reader passes it: a sign-extended short
      if (exponent == 0x1f && mantissa != 0) {
        assertTrue(Float.isNaN(got), "f16 " + Integer.toHexString(bits));
        continue;
      }
      double magnitude = exponent == 0x1f ? Double.POSITIVE_INFINITY
          : exponent == 0 ? mantissa * 0x1p-24
          : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
      double want = sign == 1 ? -magnitude : magnitude;
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "f16 " + bits);
    }
  }

  @Test
  void bf16AllPatterns() {
    for (int bits = 0; bits < 0x10000; bits++) {
      int sign = bits >>> 15;
      int exponent = (bits >>> 7) & 0xff;
      int mantissa = bits & 0x7f;
      float got = HalfFloats.bf16ToFloat((short) bits);
      if (exponent == 0xff && mantissa != 0) {
        assertTrue(Float.isNaN(got), "bf16 " + Integer.toHexString(bits));
        continue;
      }
      double magnitude = exponent == 0xff ? Double.POSITIVE_INFINITY
          : exponent == 0 ? mantissa * 0x1p-133
          : (1 + mantissa / 128.0) * Math.pow(2, exponent - 127);
      double want = sign == 1 ? -magnitude : magnitude;
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "bf16 " + bits);
    }
  }
}
