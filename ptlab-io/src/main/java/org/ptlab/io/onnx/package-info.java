/**
 * The ONNX reader behind the pretrained MiniLM: {@link org.ptlab.io.onnx.OnnxWeights} parses a model file with
 * protobuf-java over PTLab's own minimal ONNX schema ({@code src/main/protobuf}, compiled to
 * {@code org.ptlab.io.onnx.proto.Onnx}) and names the anonymous MatMul weights by following the graph to their
 * bias ({@link org.ptlab.io.onnx.OnnxLinears}); {@link org.ptlab.io.onnx.BertLayout} maps them to PTLab's weight
 * names. A corrupt file is a one-line {@link org.ptlab.io.onnx.OnnxModelException}.
 *
 * <p>Not here: the registry entry {@code minilm} ({@code org.ptlab.io.model.MiniLm}). ONNX Runtime is a test-scope
 * oracle only: tests compare PTLab's forward against it, main code never calls it.
 */
package org.ptlab.io.onnx;
