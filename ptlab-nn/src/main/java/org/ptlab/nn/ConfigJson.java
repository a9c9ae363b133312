package org.ptlab.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * {@link TransformerConfig} as JSON: every field written, every field required on read, unknown and duplicate keys
 * and fractional sizes rejected, so a config file says exactly what the model is. Messages quote the file's text
 * as it is: the reader in the io layer passes them through {@code OneLine}.
 */
public final class ConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // "dModel": 16.5 is refused, not truncated to 16
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // which "layers" is meant?

  private ConfigJson() {}

  /** Pretty JSON with one key per record field. */
  public static String write(TransformerConfig config) {
    try {
      return JSON.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses a config; {@code source} (a file name) starts every error message. {@code blocks} is the one optional
   * key: files written before per-layer blocks existed lack it and mean "every block attention + MLP".
   */
  public static TransformerConfig read(String json, String source) {
    try {
      JsonNode tree = JSON.readTree(json);
      if (tree instanceof ObjectNode o && !o.has("blocks")) o.putArray("blocks");
      return JSON.treeToValue(tree, TransformerConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(source + ": unknown config key '" + e.getPropertyName() + "'");
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) { // the record's own check names field and value
        throw new IllegalArgumentException(source + ": " + firstLine(bad.getMessage()));
      }
      throw new IllegalArgumentException(source + ": " + key(e) + firstLine(e.getMessage()));
    }
  }

  /** "key 'heads': " when Jackson knows which field failed (its own messages name only the type and value). */
  private static String key(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = m.getPath().get(m.getPath().size() - 1).getFieldName();
      if (field != null) return "key '" + field + "': ";
    }
    return "";
  }

  /**
   * {@code config} with some fields replaced, e.g. {@code {"dModel": "64", "layers": "2"}} from {@code --set}.
   * Values are parsed as the field's JSON type. Fields that the base config ties to others follow them unless set
   * in the same overrides (see {@link #derived}).
   */
  public static TransformerConfig withOverrides(TransformerConfig config, Map<String, String> overrides) {
    ObjectNode node = JSON.valueToTree(config);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      JsonNode old = node.get(e.getKey());
      if (old == null) throw new IllegalArgumentException("--set: unknown config key '" + e.getKey() + "'");
      String v = e.getValue();
      if (old.isTextual()) node.put(e.getKey(), v.toUpperCase(java.util.Locale.ROOT));
      else {
        try {
          node.set(e.getKey(), JSON.readTree(v));
        } catch (JsonProcessingException ex) {
          throw new IllegalArgumentException("--set: " + e.getKey() + "=" + v + " is not a " + old.getNodeType());
        }
      }
    }
    return derived(config, read(node.toString(), "--set"), overrides.keySet());
  }

  /**
   * Keeps the ties of {@code base} in {@code changed}: headSize = dModel/heads when the base has h·s = d (and the
   * new d divides by the new h), and scoreScale = 1/√headSize when the base scales by 1/√s (the paper preset's 1
   * is not such a tie). A key in {@code set} is the user's word and is never derived. With nothing changed the
   * config comes back as it is, so every preset stays bit-identical.
   */
  static TransformerConfig derived(TransformerConfig base, TransformerConfig changed, java.util.Set<String> set) {
    int s = changed.headSize();
    if (!set.contains("headSize") && base.heads() * base.headSize() == base.dModel()
        && changed.dModel() % changed.heads() == 0) {
      s = changed.dModel() / changed.heads();
    }
    double scale = changed.scoreScale();
    if (!set.contains("scoreScale") && base.scoreScale() == 1 / Math.sqrt(base.headSize())) scale = 1 / Math.sqrt(s);
    if (s == changed.headSize() && scale == changed.scoreScale()) return changed;
    return changed.toBuilder().headSize(s).scoreScale(scale).build();
  }

  private static String firstLine(String message) {
    if (message == null) return "malformed config";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
