/**
 * Real pretrained models, loaded with no network: {@link org.ptlab.lab.models.MiniLm} (all-MiniLM-L6-v2 from the
 * ONNX file in LangChain4j's jar, into the {@code bert} preset), the ONNX reader behind it
 * ({@link org.ptlab.lab.models.OnnxWeights}, over PTLab's own minimal ONNX schema in {@code src/main/protobuf},
 * compiled to {@code org.ptlab.lab.models.onnx.Onnx}), and sentence embeddings
 * ({@link org.ptlab.lab.models.SentenceEmbedding}, mean-pooled and L2-normalized as sentence-transformers does).
 *
 * <p>Not here: the transformer itself and safetensors IO ({@code org.ptlab.nn}, {@code org.ptlab.nn.io}); the
 * experiments that use these models. ONNX Runtime and the Hugging Face tokenizer (DJL) are test-scope oracles
 * only: tests compare PTLab against them, main code never calls them.
 */
package org.ptlab.lab.models;
