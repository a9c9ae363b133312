package org.ptlab.io.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types a safetensors header may name, in the reference implementation's order (increasing
 * alignment), which its writer sorts by; {@link SafetensorsWriter} keeps that order so files match byte for byte.
 * Every type is known so that a file holding, say, F8_E4M3 tensors still opens and lists them; only
 * {@link Kind#FLOAT}, the integer kinds and {@link Kind#BOOL} can be decoded.
 */
enum StoredDType {
  BOOL(8, Kind.BOOL),
  F4(4, Kind.UNSUPPORTED),
  F6_E2M3(6, Kind.UNSUPPORTED),
  F6_E3M2(6, Kind.UNSUPPORTED),
  U8(8, Kind.UNSIGNED),
  I8(8, Kind.SIGNED),
  F8_E5M2(8, Kind.UNSUPPORTED),
  F8_E4M3(8, Kind.UNSUPPORTED),
  F8_E8M0(8, Kind.UNSUPPORTED),
  F8_E4M3FNUZ(8, Kind.UNSUPPORTED),
  F8_E5M2FNUZ(8, Kind.UNSUPPORTED),
  I16(16, Kind.SIGNED),
  U16(16, Kind.UNSIGNED),
  F16(16, Kind.FLOAT),
  BF16(16, Kind.FLOAT),
  I32(32, Kind.SIGNED),
  U32(32, Kind.UNSIGNED),
  F32(32, Kind.FLOAT),
  C64(64, Kind.UNSUPPORTED),
  F64(64, Kind.FLOAT),
  I64(64, Kind.SIGNED),
  U64(64, Kind.UNSIGNED);

  enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL, UNSUPPORTED }

  final int bits;
  final Kind kind;

  StoredDType(int bits, Kind kind) {
    this.bits = bits;
    this.kind = kind;
  }

  /** Bytes per element; only meaningful for the decodable kinds (all of whole bytes). */
  int bytes() {
    return bits / 8;
  }

  /** The type spelled exactly {@code name} (the format is case-sensitive), or null. */
  static StoredDType parse(String name) {
    for (StoredDType t : values()) {
      if (t.name().equals(name)) return t;
    }
    return null;
  }

  static String known() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
