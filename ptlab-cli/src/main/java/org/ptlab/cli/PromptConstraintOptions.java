package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.ptlab.io.data.Dataset;
import org.ptlab.theory.hu2025.PromptNormConstraint;
import org.ptlab.tuning.AdapterJson;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.prompt.PromptTuning;
import picocli.CommandLine.Option;

/** {@code --prompt-max-r R_MAX} of {@code tune}: norm-constrained prompt tuning ({@link PromptNormConstraint}). */
final class PromptConstraintOptions implements HelpLayout.Section {
  @Option(names = "--prompt-max-r", paramLabel = "R_MAX",
      description = {"keep the exponent range R of the first layer's attention scores that involve a prompt row "
          + "(|scale*q.k|, certified by Cauchy-Schwarz over the token norms of the training and validation data) "
          + "<= R_MAX, by rescaling prompt rows after every optimizer step (and once before the first), so that "
          + "prompt tuning stays in the fast regime of --attention auto: roughly R_MAX <= ln(n)/2 for n = prompt + "
          + "input length. Prompt tuning only (with or without the head). A model that layer-normalizes the prompt "
          + "before its first attention (bert's embedding norm, pre-LN) is refused unless its fixed bound is already "
          + "below R_MAX. Off by default"})
  Double promptMaxR;

  @Override
  public String heading() {
    return "Attention"; // the constraint keeps prompt tuning in the fast attention regime
  }

  /** The calibrated constraint, or null when the option is off. Bad input fails here, before anything is written. */
  PromptNormConstraint build(TunedModel tuned, Dataset train, Dataset val, int batch, int pad) {
    if (promptMaxR == null) return null;
    return PromptNormConstraint.calibrate(tuned, Arrays.asList(train, val), promptMaxR, batch, pad);
  }

  /** The "prompt_constraint" object of metrics.json. */
  static ObjectNode json(PromptNormConstraint c, TunedModel tuned) {
    ObjectNode o = AdapterJson.object();
    o.put("r_max", c.rMax());
    o.put("guarantee", c.guarantee());
    o.put("range_final", c.range(((PromptTuning) tuned.method(PeftMethod.PROMPT)).prompt()));
    o.put("range_before_projection_max", c.maxRangeBefore());
    o.put("range_after_projection_max", c.maxRangeAfter());
    o.put("projections", c.calls());
    o.put("projections_that_changed_the_prompt", c.changed());
    o.put("min_row_factor", c.minFactor());
    o.put("data_range", c.dataRange());
    ArrayNode q = o.putArray("data_query_norms");
    for (double x : c.dataQueryNorms()) q.add(x);
    ArrayNode k = o.putArray("data_key_norms");
    for (double x : c.dataKeyNorms()) k.add(x);
    if (c.normalizedBy() != null) o.put("normalized_by", c.normalizedBy());
    return o;
  }
}
