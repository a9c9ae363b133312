package org.ptlab.io.safetensors;

import java.nio.ByteBuffer;

/**
 * Turns a little-endian chunk of stored elements into Java values. The buffer holds exactly {@code count} whole
 * elements from its position 0 (the reader cuts chunks at multiples of 8 bytes, so none is split).
 */
final class ElementDecoder {
  private ElementDecoder() {}

  /** Float types to float32: F64 rounds to nearest, the others are exact. */
  static void toFloats(StoredDType src, ByteBuffer b, float[] out, int at, int count) {
    switch (src) {
      case F32 -> b.asFloatBuffer().get(out, at, count);
      case F64 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.getDouble(8 * i); }
      case F16 -> { for (int i = 0; i < count; i++) out[at + i] = HalfFloats.f16ToFloat(b.getShort(2 * i)); }
      case BF16 -> { for (int i = 0; i < count; i++) out[at + i] = HalfFloats.bf16ToFloat(b.getShort(2 * i)); }
      default -> throw new IllegalStateException("not a float type: " + src);
    }
  }

  /** Float types to float64, all exact. */
  static void toDoubles(StoredDType src, ByteBuffer b, double[] out, int at, int count) {
    switch (src) {
      case F64 -> b.asDoubleBuffer().get(out, at, count);
      case F32 -> { for (int i = 0; i < count; i++) out[at + i] = b.getFloat(4 * i); }
      case F16 -> { for (int i = 0; i < count; i++) out[at + i] = HalfFloats.f16ToFloat(b.getShort(2 * i)); }
      case BF16 -> { for (int i = 0; i < count; i++) out[at + i] = HalfFloats.bf16ToFloat(b.getShort(2 * i)); }
      default -> throw new IllegalStateException("not a float type: " + src);
    }
  }

  /**
   * Integer and bool types to long. Returns the index (within this chunk) of the first value a long cannot
   * carry faithfully (a U64 of 2^63 or more, a BOOL byte other than 0 or 1), or -1 when all are fine.
   */
  static int toLongs(StoredDType src, ByteBuffer b, long[] out, int at, int count) {
    for (int i = 0; i < count; i++) {
      long v = switch (src) {
        case BOOL, U8 -> b.get(i) & 0xffL;
        case I8 -> b.get(i);
        case I16 -> b.getShort(2 * i);
        case U16 -> b.getShort(2 * i) & 0xffffL;
        case I32 -> b.getInt(4 * i);
        case U32 -> b.getInt(4 * i) & 0xffffffffL;
        case I64, U64 -> b.getLong(8 * i);
        default -> throw new IllegalStateException("not an integer type: " + src);
      };
      if ((src == StoredDType.U64 && v < 0) || (src == StoredDType.BOOL && v > 1)) return i;
      out[at + i] = v;
    }
    return -1;
  }
}
