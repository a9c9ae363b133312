/**
 * Models on disk and the pretrained-model registry. {@link org.ptlab.io.model.ModelSource} is the one entry point
 * that the CLI, the benchmarks and the experiments call to turn a model name into a model: {@code minilm} (the
 * pretrained all-MiniLM-L6-v2, {@link org.ptlab.io.model.MiniLm}, from the ONNX file in LangChain4j's jar), a
 * user's {@code FILE.onnx} copy of it, a preset of {@link org.ptlab.nn.Presets} (random weights from a seed), or a
 * folder with {@code config.json} + {@code model.safetensors} ({@link org.ptlab.io.model.ModelFiles}) and, for a
 * model that reads text, its tokenizer files ({@code tokenizer.json}, or GPT-2's {@code encoder.json} +
 * {@code vocab.bpe}). A folder may be PTLab's own or Hugging Face's: the BERT family ({@link
 * org.ptlab.io.model.HfBert}) or GPT-2 ({@link org.ptlab.io.model.HfGpt2} for config.json, {@link
 * org.ptlab.io.model.HfGpt2Weights} for the Conv1D layouts, the fused {@code c_attn} and the tied {@code lm_head};
 * both read config fields through {@code HfConfigFields});
 * both are also written back ({@code export --format hf}). Other {@code model_type}s (gpt_neo, llama, t5, …) and
 * GPT-2 variants with {@code scale_attn_by_inverse_layer_idx}, {@code reorder_and_upcast_attn} or
 * {@code add_cross_attention} are refused by name.
 *
 * <p>Not here: the transformer and its config ({@code org.ptlab.nn}), the file formats themselves
 * ({@code org.ptlab.io.safetensors}, {@code org.ptlab.io.onnx}).
 */
package org.ptlab.io.model;
