package org.ptlab.tuning.generate;

import java.util.Arrays;
import org.ptlab.nn.DecodeCache;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.tuning.TunedModel;

/**
 * Text generation with a KV cache: the prompt's tokens are read in one step (with the adapter's prefix and soft
 * prompt, exactly as in training), then each picked token is read in a step of its own. Greedy decoding is
 * deterministic; sampling draws from one generator seeded by {@link GenerationConfig#seed}, so it is too.
 *
 * <pre>{@code
 * int[] ids = Generator.generate(tuned, tokenizer.encode("2+2="), GenerationConfig.greedy(8));
 * }</pre>
 */
public final class Generator {
  /** Names the sampling sub-stream of the seed ("sample" in ASCII). */
  static final long SAMPLE_STREAM = 0x73616D706C65L;

  private Generator() {}

  /**
   * Why {@code model} cannot generate text, or null when it can: it needs an LM head and causal attention.
   */
  public static String whyNot(TransformerConfig c) {
    if (c.head() != TransformerConfig.Head.LM) {
      return "it has no LM head (head " + c.head().name().toLowerCase(java.util.Locale.ROOT) + "); generation needs "
          + "a causal language model such as gpt";
    }
    if (!c.causal()) return "its attention is not causal, so it cannot predict the next token";
    return null;
  }

  /**
   * The tokens that follow {@code prompt} (ids, at least one): {@code config.maxNewTokens()} of them, or fewer when
   * the stop token ({@link GenerationConfig#stopId}) is picked first (it is not returned).
   *
   * @throws IllegalArgumentException when the model cannot generate ({@link #whyNot}) or the prompt, the soft
   *     prompt and the new tokens would not fit the model's positions
   */
  public static int[] generate(TunedModel model, int[] prompt, GenerationConfig config) {
    Transformer m = model.model();
    String why = whyNot(m.config());
    if (why != null) throw new IllegalArgumentException("cannot generate with this model: " + why);
    if (prompt.length == 0) throw new IllegalArgumentException("the prompt encodes to no tokens");
    checkRoom(model, prompt.length, config.maxNewTokens());
    Rng rng = Rng.derive(config.seed(), SAMPLE_STREAM);
    DecodeCache cache = m.newDecodeCache();
    int[] out = new int[config.maxNewTokens()];
    Tensor logits = model.decode(new int[][] {prompt}, cache); // [1, t, V]
    for (int n = 0; ; n++) {
      out[n] = pick(lastRow(logits), config, rng);
      if (out[n] == config.stopId()) return Arrays.copyOf(out, n);
      if (n + 1 == out.length) return out;
      logits = model.decode(new int[][] {{out[n]}}, cache);
    }
  }

  /** The positions a generation reads (the last new token is not read) against the model's maxPositions. */
  private static void checkRoom(TunedModel model, int promptTokens, int newTokens) {
    TransformerConfig c = model.model().config();
    if (c.positional() == TransformerConfig.Positional.NONE) return;
    Tensor soft = model.hooks().prompt();
    int virtual = soft == null ? 0 : soft.dim(0);
    long need = (long) promptTokens + virtual + newTokens - 1;
    if (need > c.maxPositions()) {
      throw new IllegalArgumentException("the prompt's " + promptTokens + " tokens" + (virtual > 0 ? " and "
          + virtual + " virtual tokens" : "") + " with " + newTokens + " new tokens need " + need
          + " positions; the model has " + c.maxPositions() + " (lower --max-new-tokens or shorten the text)");
    }
  }

  private static double[] lastRow(Tensor logits) {
    int v = logits.dim(2);
    int t = logits.dim(1);
    double[] row = new double[v];
    for (int j = 0; j < v; j++) row[j] = logits.getFlat((t - 1) * v + j);
    return row;
  }

  /** Greedy: the first largest logit. Sampling: softmax(logits / T) over the top k, one uniform draw. */
  static int pick(double[] logits, GenerationConfig config, Rng rng) {
    if (config.isGreedy()) return argmax(logits);
    Integer[] order = new Integer[logits.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(logits[b], logits[a])); // stable: ties keep the lower id first
    int k = config.topK() == 0 ? logits.length : Math.min(config.topK(), logits.length);
    double max = logits[order[0]];
    double[] weight = new double[k];
    double total = 0;
    for (int i = 0; i < k; i++) {
      weight[i] = Math.exp((logits[order[i]] - max) / config.temperature());
      total += weight[i];
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < k; i++) {
      u -= weight[i];
      if (u < 0) return order[i];
    }
    return order[k - 1]; // u landed on the total itself (rounding)
  }

  static int argmax(double[] row) {
    int best = 0;
    for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
    return best;
  }
}
