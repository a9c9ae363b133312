/**
 * Text generation from a causal language model with its adapters: {@link org.ptlab.tuning.generate.Generator}
 * decodes with the model's KV cache ({@code org.ptlab.nn.DecodeCache}), greedily or by seeded sampling
 * ({@link org.ptlab.tuning.generate.GenerationConfig}), and {@link org.ptlab.tuning.generate.ExactMatch} scores
 * greedy generations of the answers of prompt-completion data.
 *
 * <p>Not here: the cache and the decoding step themselves ({@code Transformer.decode} in {@code ptlab-nn}); tokenizing
 * and decoding text ({@code org.ptlab.io.tokenizer}); the {@code ptlab generate} command ({@code ptlab-cli}).
 */
package org.ptlab.tuning.generate;
