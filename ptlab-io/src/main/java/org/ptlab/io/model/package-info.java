/**
 * Models on disk and the pretrained-model registry. {@link org.ptlab.io.model.ModelSource} is the one entry point
 * that the CLI, the benchmarks and the experiments call to turn a model name into a model: {@code minilm} (the
 * pretrained all-MiniLM-L6-v2, {@link org.ptlab.io.model.MiniLm}, from the ONNX file in LangChain4j's jar), a
 * user's {@code FILE.onnx} copy of it, a preset of {@link org.ptlab.nn.Presets} (random weights from a seed), or a
 * folder with {@code config.json} + {@code model.safetensors} ({@link org.ptlab.io.model.ModelFiles}) and, for a
 * fine-tuned MiniLM, its {@code tokenizer.json}.
 *
 * <p>Not here: the transformer and its config ({@code org.ptlab.nn}), the file formats themselves
 * ({@code org.ptlab.io.safetensors}, {@code org.ptlab.io.onnx}).
 */
package org.ptlab.io.model;
