package org.ptlab.io.data;

import com.fasterxml.jackson.databind.JsonNode;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * Turns one parsed JSONL object into an {@link Example}, or says in one line what is wrong with it. Each check
 * names the field as it appears in the file ({@code "tokens"[3]}, {@code "inputs"[2][0]}) so the user can find it.
 */
final class JsonlLine {
  /** A problem with one line; carries only the message (no stack trace: it is expected, and caught at once). */
  static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private JsonlLine() {}

  static Example parse(JsonNode obj, int line, Tokenizer tokenizer) {
    if (!obj.isObject()) throw new Bad("expected one JSON object per line, got " + describe(obj));
    JsonNode prompt = present(obj, "prompt");
    JsonNode completion = present(obj, "completion");
    if (prompt != null || completion != null) return PromptCompletion.parse(obj, prompt, completion, line, tokenizer);
    JsonNode tokens = present(obj, "tokens");
    JsonNode inputIds = present(obj, "input_ids");
    JsonNode text = present(obj, "text");
    JsonNode inputs = present(obj, "inputs");
    int given = 0;
    for (JsonNode n : new JsonNode[] {tokens, inputIds, text, inputs}) given += n != null ? 1 : 0;
    if (given == 0) throw new Bad("no input: give one of \"tokens\", \"text\" or \"inputs\"");
    if (given > 1) throw new Bad("more than one input: give only one of \"tokens\", \"text\" or \"inputs\"");

    int[] ids = null;
    double[][] rows = null;
    String keptText = null;
    if (tokens != null) {
      ids = tokenIds(tokens, "\"tokens\"");
    } else if (inputIds != null) {
      ids = tokenIds(inputIds, "\"input_ids\""); // Hugging Face's name for the same thing
    } else if (text != null) {
      keptText = text(text, "\"text\"", tokenizer);
      ids = encode(keptText, "\"text\"", tokenizer);
    } else {
      rows = inputRows(inputs);
    }
    int length = ids != null ? ids.length : rows.length;
    JsonNode labels = present(obj, "labels");
    Target target = labels != null ? TokenLabelsField.parse(obj, labels, ids) : target(obj, length);
    return new Example(ids, rows, target, keptText, line);
  }

  /** The field, or null if it is absent or JSON null (exporters write null for "no label"). */
  static JsonNode present(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    return n == null || n.isNull() ? null : n;
  }

  static int[] tokenIds(JsonNode tokens, String name) {
    if (!tokens.isArray()) throw new Bad(name + " must be an array of token ids, got " + describe(tokens));
    if (tokens.isEmpty()) throw new Bad(name + " is empty");
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode n = tokens.get(i);
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw new Bad(name + "[" + i + "] must be an integer token id, got " + describe(n));
      }
      ids[i] = n.intValue();
      if (ids[i] < 0) throw new Bad(name + "[" + i + "] is " + ids[i] + "; token ids must be non-negative");
    }
    return ids;
  }

  static String text(JsonNode text, String name, Tokenizer tokenizer) {
    if (!text.isTextual()) throw new Bad(name + " must be a string, got " + describe(text));
    if (tokenizer == null) {
      throw new Bad(name + " needs a tokenizer and this model has none; give token ids as \"tokens\" instead");
    }
    return text.textValue();
  }

  static int[] encode(String text, String name, Tokenizer tokenizer) {
    int[] ids;
    try {
      ids = tokenizer.encode(text);
    } catch (IllegalArgumentException e) {
      throw new Bad(name + " cannot be tokenized: " + e.getMessage());
    }
    if (ids == null || ids.length == 0) throw new Bad(name + " encodes to no tokens");
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0) throw new Bad("the tokenizer gave token id " + ids[i] + " at position " + i + " for " + name);
    }
    return ids;
  }

  private static double[][] inputRows(JsonNode inputs) {
    if (!inputs.isArray() || inputs.isEmpty()) {
      throw new Bad("\"inputs\" must be a non-empty array of rows [[numbers], ...], got " + describe(inputs));
    }
    return matrix(inputs, "\"inputs\"");
  }

  private static Target target(JsonNode obj, int length) {
    JsonNode label = present(obj, "label");
    JsonNode target = present(obj, "target");
    if (label != null && target != null) {
      throw new Bad("both \"label\" and \"target\": give a class id as \"label\" or a regression \"target\", not both");
    }
    if (label != null) {
      if (!label.isIntegralNumber() || !label.canConvertToInt() || label.intValue() < 0) {
        throw new Bad("\"label\" must be a non-negative integer class id, got " + describe(label));
      }
      return new Target.Label(label.intValue());
    }
    if (target == null) return Target.None.INSTANCE;
    if (target.isNumber()) return new Target.PerSequence(new double[] {number(target, "\"target\"")});
    if (!target.isArray() || target.isEmpty()) {
      throw new Bad("\"target\" must be a number, an array of numbers or an array of rows, got " + describe(target));
    }
    if (!target.get(0).isArray()) return new Target.PerSequence(vector(target, "\"target\""));
    double[][] rows = matrix(target, "\"target\"");
    if (rows.length != length) {
      throw new Bad("\"target\" has " + rows.length + " rows but the input has " + length + " positions");
    }
    int dim = rows[0].length;
    double[] flat = new double[rows.length * dim];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * dim, dim);
    return new Target.PerPosition(flat, rows.length, dim);
  }

  /** A non-empty rectangular array of non-empty number rows. */
  private static double[][] matrix(JsonNode array, String name) {
    double[][] rows = new double[array.size()][];
    for (int i = 0; i < rows.length; i++) {
      JsonNode row = array.get(i);
      String rowName = name + "[" + i + "]";
      if (!row.isArray() || row.isEmpty()) {
        throw new Bad(rowName + " must be a non-empty array of numbers, got " + describe(row));
      }
      rows[i] = vector(row, rowName);
      if (rows[i].length != rows[0].length) {
        throw new Bad(rowName + " has " + numbers(rows[i].length) + " but " + name + "[0] has "
            + numbers(rows[0].length) + " (ragged rows)");
      }
    }
    return rows;
  }

  private static double[] vector(JsonNode array, String name) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) v[i] = number(array.get(i), name + "[" + i + "]");
    return v;
  }

  private static double number(JsonNode n, String name) {
    if (!n.isNumber()) throw new Bad(name + " must be a number, got " + describe(n));
    double v = n.doubleValue();
    if (!Double.isFinite(v)) throw new Bad(name + " is " + n.asText() + "; numbers must be finite doubles");
    return v;
  }

  static String numbers(int n) {
    return n == 1 ? "1 number" : n + " numbers";
  }

  /** A short description of a JSON value for messages: its type, and the value itself if it is short. */
  static String describe(JsonNode n) {
    String type = switch (n.getNodeType()) {
      case ARRAY -> n.isEmpty() ? "an empty array" : "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case NUMBER -> "a number";
      default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
    if (n.isValueNode() && !n.isNull()) {
      String value = n.isTextual() ? "\"" + n.textValue() + "\"" : n.asText();
      if (value.length() <= 40 && value.chars().allMatch(c -> c >= 0x20)) return type + " " + value;
    }
    return type;
  }
}
