package org.ptlab.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a certificate says about one model and dataset, in the shape {@code ptlab certify --json} prints:
 * {@code {"name", "applies", "value", "unit", "reason", "positions", …details}}. A certificate that does not apply
 * is an answer, not an error: {@code applies} is false, {@code value} is NaN (null in JSON) and {@code reason} says
 * which assumption fails (which layer, which branch, which positions).
 *
 * @param name stable id a script can rely on ({@code shared-token-loss-bound}, {@code prompt-length-bound},
 *     {@code prompt-length-loss-bound}, {@code exact-lora-update}, {@code lipschitz}, {@code invertibility})
 * @param applies whether the assumptions were checked and hold, so that {@code value} is certified
 * @param value the certified number (NaN when it does not apply)
 * @param unit what {@code value} counts
 * @param reason one sentence: what was certified and under which checked assumption, or why not
 * @param positions the dataset positions that cause the value (empty when none are singled out)
 * @param details further named values, insertion-ordered (numbers, strings, booleans, arrays, lists, maps)
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
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("certificate: name must be set");
    if (applies && Double.isNaN(value)) throw new IllegalArgumentException("certificate " + name + ": applies but has no value");
    positions = List.copyOf(positions == null ? List.of() : positions);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
  }

  /** A certificate that applies, with no positions singled out. */
  public static Certificate holds(String name, double value, String unit, String reason, Map<String, Object> details) {
    return new Certificate(name, true, value, unit, reason, List.of(), details);
  }

  /** A certificate that does not apply, and why. */
  public static Certificate refuses(String name, String unit, String reason, Map<String, Object> details) {
    return new Certificate(name, false, Double.NaN, unit, reason, List.of(), details);
  }

  /**
   * The flat map {@code name, applies, value, unit, reason, positions} followed by the details, ready for JSON:
   * the value is null when the certificate does not apply, and non-finite numbers anywhere become strings (JSON
   * has no NaN or Infinity).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("applies", applies);
    m.put("value", applies ? finite(value) : null);
    m.put("unit", unit);
    m.put("reason", reason);
    List<List<Integer>> where = new ArrayList<>();
    for (Position p : positions) where.add(List.of(p.example(), p.position()));
    m.put("positions", where);
    for (Map.Entry<String, Object> e : details.entrySet()) m.putIfAbsent(e.getKey(), finite(e.getValue()));
    return m;
  }

  private static Object finite(Object o) {
    if (o instanceof Double d && !Double.isFinite(d)) return d.toString();
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), finite(e.getValue()));
      return out;
    }
    if (o instanceof List<?> l) return l.stream().map(Certificate::finite).toList();
    if (o instanceof double[] a) return Arrays.stream(a).boxed().map(Certificate::finite).toList();
    return o;
  }
}
