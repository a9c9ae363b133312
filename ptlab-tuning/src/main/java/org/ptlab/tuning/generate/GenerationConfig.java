package org.ptlab.tuning.generate;

/**
 * How {@link Generator} picks each next token.
 *
 * @param maxNewTokens tokens to generate (at least 1)
 * @param temperature 0 for greedy decoding (the most likely token, the lowest id on a tie); above 0, sampling from
 *     softmax(logits / temperature)
 * @param topK when sampling, only the k most likely tokens (0 = all)
 * @param seed the sampling stream's seed: the same seed gives the same tokens
 * @param stopId the token that ends the text (GPT-2's {@code <|endoftext|>}, as HF's {@code eos_token_id}): when it
 *     is picked, generation stops and it is not returned; −1 = none, always {@code maxNewTokens} tokens
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, long seed, int stopId) {
  /** No stop token. */
  public GenerationConfig(int maxNewTokens, double temperature, int topK, long seed) {
    this(maxNewTokens, temperature, topK, seed, -1);
  }

  public GenerationConfig {
    if (maxNewTokens < 1) throw new IllegalArgumentException("--max-new-tokens must be >= 1, got " + maxNewTokens);
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("--temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
    }
    if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 1 (or 0 for no limit), got " + topK);
  }

  /** Greedy decoding of {@code maxNewTokens} tokens. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(maxNewTokens, 0, 0, 0);
  }

  /** The same settings, stopping at {@code id} (−1: never). */
  public GenerationConfig stoppingAt(int id) {
    return new GenerationConfig(maxNewTokens, temperature, topK, seed, id);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }
}
