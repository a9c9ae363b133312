package org.ptlab.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON mapper for adapter and checkpoint files (pretty, stable key order). */
public final class AdapterJson {
  /** Shared, thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AdapterJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
