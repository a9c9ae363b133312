package org.ptlab.tuning.generate;

import java.util.Arrays;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.Target;
import org.ptlab.tuning.TunedModel;

/**
 * Exact match of greedy generation on causal-LM data with per-token labels: for each example, the model generates
 * from the tokens before the first scored position (a prompt-completion line's prompt) as many tokens as the answer
 * has (the first run of scored labels: the completion), and scores 1 when they are the answer's tokens exactly.
 */
public final class ExactMatch {
  private ExactMatch() {}

  /** The fraction of examples generated exactly; NaN for data without per-token labels. */
  public static double of(TunedModel model, Dataset data) {
    int hits = 0;
    int n = 0;
    for (Example ex : data.examples()) {
      if (!(ex.target() instanceof Target.TokenLabels labels)) return Double.NaN;
      int[] answer = labels.answer();
      int[] prompt = Arrays.copyOf(ex.tokens(), labels.answerStart());
      int[] got = Generator.generate(model, prompt, GenerationConfig.greedy(answer.length));
      if (Arrays.equals(got, answer)) hits++;
      n++;
    }
    return n == 0 ? Double.NaN : (double) hits / n;
  }
}
