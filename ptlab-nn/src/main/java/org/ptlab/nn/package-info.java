/**
 * Layers and the one configurable transformer of DESIGN.md: {@code TransformerConfig} (a plain record, saved as
 * JSON by {@code ConfigJson}), its presets ({@code paper}, {@code bert}, {@code gpt}), the model built from it,
 * its forward mode ({@code ForwardMode}: training with dropout, or evaluation) and sentence embeddings
 * ({@code SentenceEmbedding}, mean-pooled and L2-normalized as sentence-transformers does), and {@code ModelSize}
 * (the exact parameter count of a config, so a model too big for the heap is refused before anything is allocated).
 * A causal model also decodes step by step ({@code Transformer.decode}) with a {@code DecodeCache} of every
 * layer's keys and values (a prefix's first; the soft prompt placed once, at the start), for generation.
 *
 * <p>Not here: tuning methods (soft prompts, prefix, LoRA) live in {@code ptlab-tuning} and reach into the model
 * only through {@code ForwardHooks}; weights on disk, the pretrained MiniLM and tokenizers are in {@code ptlab-io}
 * ({@code org.ptlab.io.*}); the attention-kernel plug-in point is {@code org.ptlab.nn.attention}.
 */
package org.ptlab.nn;
