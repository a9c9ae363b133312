package org.ptlab.theory.wang2023;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One certificate's answer as {@code ptlab certify --json} prints it:
 * {@code {"name", "applies", "value", "unit", "reason", …details}}. A certificate that does not apply is an answer,
 * not an error: {@code applies} is false, {@code value} is null and {@code reason} says why (which assumption,
 * which layer, which branch).
 *
 * @param name a stable name scripts rely on ({@code lipschitz}, {@code invertibility}, …)
 * @param applies whether the assumptions hold for this model, so that {@code value} is certified
 * @param value the certified number, or null when it does not apply
 * @param unit what {@code value} measures
 * @param reason why it applies (the assumption checked) or why not
 * @param details further named values, in insertion order (numbers, strings, lists, maps)
 */
public record CertificateReport(String name, boolean applies, Double value, String unit, String reason,
    Map<String, Object> details) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CertificateReport {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("certificate: name must be set");
    if (applies && (value == null || Double.isNaN(value))) {
      throw new IllegalArgumentException("certificate " + name + ": applies but has no value");
    }
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
  }

  /** The flat map {@code name, applies, value, unit, reason} followed by the details. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("applies", applies);
    m.put("value", applies ? value : null);
    m.put("unit", unit);
    m.put("reason", reason);
    for (Map.Entry<String, Object> e : details.entrySet()) m.putIfAbsent(e.getKey(), e.getValue());
    return m;
  }

  /** One JSON object (non-finite numbers in the details are written as strings so the output stays JSON). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(finite(toMap()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("certificate " + name + ": not serializable: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static Object finite(Object o) {
    if (o instanceof Double d && !Double.isFinite(d)) return d.toString(); // JSON has no Infinity/NaN
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), finite(e.getValue()));
      return out;
    }
    if (o instanceof java.util.List<?> l) return l.stream().map(CertificateReport::finite).toList();
    if (o instanceof double[] a) return java.util.Arrays.stream(a).boxed().map(CertificateReport::finite).toList();
    return o;
  }
}
