package org.ptlab.theory.wang2023;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a certificate of this package says about one model and dataset, in the shape {@code ptlab certify --json}
 * prints: {"name", "applies", "value", "unit", "reason", "positions", …details}. A certificate that does not apply
 * is an answer, not an error: {@code applies} is false, {@code value} is NaN and {@code reason} says why.
 *
 * @param name stable id a script can rely on: {@code shared-token-loss-bound}, {@code prompt-length-bound},
 *     {@code prompt-length-loss-bound}, {@code exact-lora-update}
 * @param applies whether the assumptions were checked and hold
 * @param value the certified number (NaN when it does not apply)
 * @param unit what {@code value} counts
 * @param reason one sentence: what was certified, or why not
 * @param positions the dataset positions that cause the value (example index, position index)
 * @param details further named numbers (insertion-ordered; values are numbers, strings, booleans or lists)
 */
public record Certificate(String name, boolean applies, double value, String unit, String reason,
    List<Position> positions, Map<String, Object> details) {

  /** A dataset position: token {@code position} of example {@code example} (both 0-based). */
  public record Position(int example, int position) {
    @Override
    public String toString() {
      return "example " + example + " position " + position;
    }
  }

  public Certificate {
    positions = List.copyOf(positions);
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A certificate that does not apply, and why. */
  public static Certificate refuses(String name, String unit, String reason, Map<String, Object> details) {
    return new Certificate(name, false, Double.NaN, unit, reason, List.of(), details);
  }
}
