package org.ptlab.io.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.ptlab.io.tokenizer.Tokenizer;

/**
 * A {@code {"prompt": …, "completion": …}} line, as TRL's {@code SFTTrainer} reads it: the model reads the encoding
 * of the concatenated text {@code prompt + completion}, and the loss scores only the positions past the length of the
 * prompt's own encoding (TRL's {@code completion_mask}); those become {@link Target.TokenLabels} with −100 on the
 * prompt. No end-of-sequence token is appended (TRL appends the tokenizer's EOS text; the byte-level and WordPiece
 * tokenizers here have none): end the completion with your own stop text if generation should learn to stop.
 */
final class PromptCompletion {
  private static final String[] OTHER_INPUTS = {"tokens", "input_ids", "text", "inputs", "label", "target", "labels"};

  private PromptCompletion() {}

  static Example parse(JsonNode obj, JsonNode prompt, JsonNode completion, int line, Tokenizer tokenizer) {
    if (prompt == null) {
      throw new JsonlLine.Bad("\"completion\" without \"prompt\": give both (the loss scores the completion only)");
    }
    if (completion == null) {
      throw new JsonlLine.Bad("\"prompt\" without \"completion\": give both (the loss scores the completion only)");
    }
    for (String other : OTHER_INPUTS) {
      if (JsonlLine.present(obj, other) != null) {
        throw new JsonlLine.Bad("\"prompt\"/\"completion\" with \"" + other + "\": a prompt-completion line is its own "
            + "input and labels; leave \"" + other + "\" out");
      }
    }
    String p = JsonlLine.text(prompt, "\"prompt\"", tokenizer);
    String c = JsonlLine.text(completion, "\"completion\"", tokenizer);
    if (c.isEmpty()) throw new JsonlLine.Bad("\"completion\" is empty: there is nothing to score");
    int[] promptIds = JsonlLine.encode(p, "\"prompt\"", tokenizer);
    int[] ids = JsonlLine.encode(p + c, "\"prompt\" + \"completion\"", tokenizer);
    if (ids.length <= promptIds.length) {
      throw new JsonlLine.Bad("\"completion\" adds no tokens to the encoding of \"prompt\"");
    }
    int[] labels = Arrays.copyOf(ids, ids.length);
    Arrays.fill(labels, 0, promptIds.length, Target.TokenLabels.IGNORED); // TRL's completion_mask: prompt positions off
    return new Example(ids, null, new Target.TokenLabels(labels), p + c, line);
  }
}
