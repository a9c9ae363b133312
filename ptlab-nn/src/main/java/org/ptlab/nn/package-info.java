/**
 * Layers and the one configurable transformer of DESIGN.md: {@code TransformerConfig} (a plain record, saved as
 * JSON), its presets ({@code paper}, {@code bert}, {@code gpt}), and the model built from it.
 *
 * <p>Not here: tuning methods (soft prompts, prefix, LoRA) live in {@code ptlab-tuning} and reach into the model
 * only through {@code ForwardHooks}; safetensors files are read and written in {@code org.ptlab.nn.io}.
 */
package org.ptlab.nn;
