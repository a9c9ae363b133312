package org.ptlab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared JSON mappers (one per behaviour: insertion order, indented, strict reading) for configs, metrics,
 * adapters, exports and users' files, and the config hash. Canonical JSON sorts map keys at every level, so two
 * maps with the same entries in any insertion order give the same bytes and the same hash; everything else keeps
 * insertion order (an experiment's metric columns stay in the order it wrote them).
 */
public final class Json {
  /** Shared and thread-safe once configured; keeps map insertion order. */
  public static final ObjectMapper MAPPER = new ObjectMapper();
  /** Sorted keys: the canonical form that config hashes are computed from. */
  private static final ObjectMapper SORTED = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  /** Indented output for files people read (adapter and checkpoint JSON, as PEFT writes them). */
  public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /**
   * Strict reading of users' files: a duplicate key or text after the value is an error rather than a silently
   * picked value, and error locations leave the source out (messages stay one line).
   */
  public static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** Canonical compact JSON of {@code value} (maps with sorted keys). */
  public static String canonical(Object value) {
    try {
      return SORTED.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-able: " + value + " (" + e.getOriginalMessage() + ")", e);
    }
  }

  /** Compact JSON in insertion order (metrics in the store, {@code --json} output). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-able: " + value + " (" + e.getOriginalMessage() + ")", e);
    }
  }

  /** Indented JSON for files people read. */
  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-able: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON object as an insertion-ordered map (null and blank give an empty map). */
  public static Map<String, Object> parseMap(String json) {
    if (json == null || json.isBlank()) return new LinkedHashMap<>();
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** The identity of a config: SHA-256 (lower-case hex) of its canonical JSON, UTF-8. */
  public static String configHash(Map<String, Object> config) {
    return sha256Hex(canonical(config));
  }

  public static String sha256Hex(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The first 8 bytes of SHA-256 of {@code s}, as a long: a stable, well-mixed seed component. */
  public static long hash64(String s) {
    return Long.parseUnsignedLong(sha256Hex(s).substring(0, 16), 16);
  }
}
