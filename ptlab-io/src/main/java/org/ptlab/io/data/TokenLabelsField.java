package org.ptlab.io.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A line's {@code "labels"}: Hugging Face's causal-LM labels, one per input token, −100 where the loss ignores the
 * position (see {@link Target.TokenLabels} for the shift). Checked here so that a bad line is named before any
 * training starts.
 */
final class TokenLabelsField {
  private TokenLabelsField() {}

  /** The labels for token ids {@code ids} (null when the line has continuous inputs). */
  static Target.TokenLabels parse(JsonNode obj, JsonNode labels, int[] ids) {
    if (ids == null) {
      throw new JsonlLine.Bad("\"labels\" are per-token language-model labels: they need token ids (\"tokens\", "
          + "\"input_ids\" or \"text\"), not \"inputs\"");
    }
    if (JsonlLine.present(obj, "label") != null || JsonlLine.present(obj, "target") != null) {
      throw new JsonlLine.Bad("both \"labels\" and \"label\" or \"target\": give per-token \"labels\" for a language "
          + "model or one \"label\"/\"target\", not both");
    }
    if (!labels.isArray()) {
      throw new JsonlLine.Bad("\"labels\" must be an array of token ids and -100s, got " + JsonlLine.describe(labels));
    }
    if (labels.size() != ids.length) {
      throw new JsonlLine.Bad("\"labels\" has " + labels.size() + " entries but the input has " + ids.length
          + " tokens; give one label per token (-100 where the loss ignores it)");
    }
    int[] out = new int[ids.length];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = labels.get(i);
      boolean ok = n.isIntegralNumber() && n.canConvertToInt()
          && (n.intValue() >= 0 || n.intValue() == Target.TokenLabels.IGNORED);
      if (!ok) {
        throw new JsonlLine.Bad("\"labels\"[" + i + "] must be a token id or -100 (ignored), got "
            + JsonlLine.describe(n));
      }
      out[i] = n.intValue();
    }
    Target.TokenLabels t = new Target.TokenLabels(out);
    if (t.answerStart() < 0) {
      throw new JsonlLine.Bad("\"labels\" score no token: every label after position 0 is -100 (labels are shifted as "
          + "in Hugging Face: position 0 is never scored)");
    }
    return t;
  }
}
