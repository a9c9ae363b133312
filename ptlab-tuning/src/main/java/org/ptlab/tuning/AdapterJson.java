package org.ptlab.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ptlab.io.Json;

/** The JSON mapper for adapter and checkpoint files (pretty, stable key order). */
public final class AdapterJson {
  /** Shared, thread-safe once configured. */
  public static final ObjectMapper MAPPER = Json.PRETTY;

  private AdapterJson() {}

  /** {@code node} as one line of JSON (a command's {@code --json} output). */
  public static String compact(com.fasterxml.jackson.databind.JsonNode node) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always serialises
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The fields PEFT's prompt-learning configs share (PROMPT_TUNING, PREFIX_TUNING). */
  public static ObjectNode promptLearning(PeftMethod method, int numVirtualTokens, int tokenDim,
      org.ptlab.nn.TransformerConfig model) {
    ObjectNode c = object();
    c.put("peft_type", method.peftType());
    c.put("num_virtual_tokens", numVirtualTokens);
    c.put("token_dim", tokenDim);
    c.put("num_transformer_submodules", 1);
    c.put("num_attention_heads", model.heads());
    c.put("num_layers", model.layers());
    c.putNull("modules_to_save"); // the head, when trained, replaces this
    return c;
  }
}
