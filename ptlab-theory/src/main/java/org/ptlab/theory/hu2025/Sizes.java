package org.ptlab.theory.hu2025;

import java.math.BigInteger;

/**
 * Refuses constructions that would not fit in memory, before anything is allocated, naming the size they would
 * need. The dominant terms: the quantized sequences (members·M·n·d values), the ids with their targets and FF_2's
 * two weight matrices (≈ ids·(4d + 4) values), and FF_1 (2·(n/δ)·d units of d inputs and outputs).
 */
final class Sizes {
  /** Members beyond which enumeration alone is hopeless whatever the heap (2^24). */
  static final long MAX_MEMBERS = 1L << 24;

  private Sizes() {}

  static void require(QuantizedFamily fam, BigInteger members, String what) {
    int lp = fam.promptLength();
    double n = lp + fam.L();
    double m = members.doubleValue();
    double cells = Math.pow(1.0 / fam.delta(), fam.entries());
    double ids = m * cells * fam.L();
    double values = m * cells * n * fam.d() + ids * (4.0 * fam.d() + 4) + 4 * n * fam.levels() * fam.d() * fam.d();
    double bytes = 8 * values;
    double heap = Runtime.getRuntime().maxMemory();
    if (members.compareTo(BigInteger.valueOf(MAX_MEMBERS)) > 0 || bytes > heap / 2) {
      throw new IllegalArgumentException(String.format(
          "universal: d = %d, L = %d, δ = 1/%d, δ_out = 1/%d, δ_P = 1/%d (%s): |F̄| = %.3g members, %.3g context ids, "
              + "L_p = %d; it would need about %s (heap %s%s)",
          fam.d(), fam.L(), fam.levels(), fam.outLevels(), fam.promptLevels(), what, m, ids, lp, human(bytes),
          human(heap), members.compareTo(BigInteger.valueOf(MAX_MEMBERS)) > 0 ? ", and more than 2^24 members" : ""));
    }
  }

  static String human(double bytes) {
    if (bytes >= 1e9) return String.format("%.3g GB", bytes / 1e9);
    return String.format("%.3g MB", bytes / 1e6);
  }
}
