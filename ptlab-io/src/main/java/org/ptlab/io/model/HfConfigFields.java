package org.ptlab.io.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.ptlab.io.Json;
import org.ptlab.io.OneLine;
import org.ptlab.tensor.DType;

/**
 * Typed reads of a Hugging Face config.json's fields, shared by {@link HfBert} and {@link HfGpt2}: each failure is
 * one line that starts with {@code source} and names the field.
 */
final class HfConfigFields {
  private HfConfigFields() {}

  /** The parsed config.json text. */
  static JsonNode tree(String json, String source) {
    try {
      return Json.STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not JSON (" + OneLine.of(e.getOriginalMessage()) + ")");
    }
  }

  /** A required integer field. */
  static int integer(JsonNode t, String field, String source) {
    JsonNode v = t.get(field);
    if (v == null) throw new IllegalArgumentException(source + ": config field '" + field + "' is missing");
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(source + ": config field '" + field + "' must be an integer, got "
          + OneLine.of(v.toString()));
    }
    return v.intValue();
  }

  /** A number field, {@code absent} when missing. */
  static double number(JsonNode t, String field, double absent, String source) {
    JsonNode v = t.get(field);
    if (v == null) return absent;
    if (!v.isNumber()) {
      throw new IllegalArgumentException(source + ": config field '" + field + "' must be a number, got "
          + OneLine.of(v.toString()));
    }
    return v.doubleValue();
  }

  /** A boolean field, {@code absent} when missing or null. */
  static boolean bool(JsonNode t, String field, boolean absent, String source) {
    JsonNode v = t.get(field);
    if (v == null || v.isNull()) return absent;
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(source + ": config field '" + field + "' must be true or false, got "
          + OneLine.of(v.toString()));
    }
    return v.booleanValue();
  }

  /**
   * {@code torch_dtype} (or {@code dtype}): float32 when absent; float16 and bfloat16 checkpoints compute in float32
   * (the safetensors reader widens the values).
   */
  static DType dtype(JsonNode t, String source) {
    JsonNode v = t.has("torch_dtype") ? t.get("torch_dtype") : t.get("dtype");
    if (v == null || v.isNull() || "float32".equals(v.asText())) return DType.F32;
    if ("float64".equals(v.asText())) return DType.F64;
    if ("float16".equals(v.asText()) || "bfloat16".equals(v.asText())) return DType.F32;
    throw new IllegalArgumentException(source + ": config field 'torch_dtype' is " + OneLine.of(v.toString())
        + "; PTLab reads float32, float64, float16 and bfloat16");
  }
}
