package org.ptlab.io.onnx;

import static org.ptlab.io.onnx.OnnxModelException.quote;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.onnx.proto.Onnx;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;

/**
 * Reads the weights of a BERT encoder exported to ONNX (as Hugging Face / Xenova export all-MiniLM-L6-v2) into the
 * Hugging Face names PTLab's {@code bert} preset uses, so {@code Transformer.withWeights} can take them.
 *
 * <p>Embeddings, biases and layer norms keep their Hugging Face names in the file. The 36 linear weights do not:
 * the exporter folded each {@code nn.Linear} into a MatMul by an anonymous, pre-transposed initializer
 * ({@code onnx::MatMul_787}, [in, out]) followed by an Add of the named bias. So a MatMul weight is named by
 * following the graph: MatMul → Add whose other input is the initializer {@code X.bias} → the weight is
 * {@code X.weight}, transposed to PyTorch's [out, in]. The int64 buffer {@code embeddings.position_ids} is dropped.
 *
 * <p>Every problem is one line naming the file and what is wrong ({@link OnnxModelException}).
 *
 * <pre>{@code
 * Map<String, Tensor> w = OnnxWeights.read(Path.of("model.onnx"), Presets.bert());
 * Transformer model = Transformer.withWeights(Presets.bert(), w, "model.onnx");
 * }</pre>
 */
public final class OnnxWeights {
  /** Initializers a BERT export carries that are not weights (position_ids is arange(512), an int64 buffer). */
  private static final Set<String> DROPPED = Set.of("embeddings.position_ids");

  private OnnxWeights() {}

  /** The weights of the .onnx file at {@code file}; see {@link #read(byte[], String, TransformerConfig)}. */
  public static Map<String, Tensor> read(Path file, TransformerConfig config) {
    return read(readFile(file), file.toString(), config);
  }

  /**
   * The weights of an ONNX model, by Hugging Face name, float32, in PTLab's layout, each checked against
   * {@code config}'s shapes. The map is new and the caller's.
   *
   * @param bytes the whole .onnx file (not modified; must not be modified while this runs)
   * @param source the file's name, for messages
   * @param config a BERT-shaped config (learned positions, token types, post-LN, biases)
   */
  public static Map<String, Tensor> read(byte[] bytes, String source, TransformerConfig config) {
    Map<String, int[]> expected = BertLayout.shapes(config);
    Onnx.GraphProto graph = parse(bytes, source).getGraph();
    Map<String, Onnx.TensorProto> inits = initializers(graph, source);
    checkInputsExist(graph, inits, source);
    Map<String, String> matMuls = OnnxLinears.weightNames(graph, inits, source);
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<String, String> from = new HashMap<>(); // HF name → initializer it came from
    for (Onnx.TensorProto t : graph.getInitializerList()) {
      if (DROPPED.contains(t.getName())) continue;
      String target = matMuls.getOrDefault(t.getName(), t.getName());
      int[] shape = expected.get(target);
      if (shape == null) {
        throw new OnnxModelException(source + ": unexpected initializer " + quote(t.getName())
            + " (not a weight of this BERT config)");
      }
      String previous = from.putIfAbsent(target, t.getName());
      if (previous != null) {
        throw new OnnxModelException(source + ": initializers " + quote(previous) + " and " + quote(t.getName())
            + " both map to " + target);
      }
      out.put(target, OnnxTensors.decode(t, target, shape, matMuls.containsKey(t.getName()), source));
    }
    for (String name : expected.keySet()) {
      if (!out.containsKey(name)) throw new OnnxModelException(source + ": missing initializer " + quote(name));
    }
    return out;
  }

  /**
   * Parses with aliasing: bytes fields (the raw weights) then point into {@code bytes} instead of being copied,
   * which saves a copy of the 90 MB file and about half the parse time.
   */
  private static Onnx.ModelProto parse(byte[] bytes, String source) {
    Onnx.ModelProto model;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.enableAliasing(true);
      model = Onnx.ModelProto.parseFrom(in);
    } catch (IOException e) { // InvalidProtocolBufferException: a byte[] has no other I/O to fail
      throw new OnnxModelException(source + ": not an ONNX model (" + firstSentence(e.getMessage()) + ")");
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getInitializerCount() == 0) {
      throw new OnnxModelException(source + ": not an ONNX model (no ir_version, graph or initializers)");
    }
    return model;
  }

  private static Map<String, Onnx.TensorProto> initializers(Onnx.GraphProto graph, String source) {
    Map<String, Onnx.TensorProto> inits = new HashMap<>();
    for (Onnx.TensorProto t : graph.getInitializerList()) {
      if (inits.putIfAbsent(t.getName(), t) != null) {
        throw new OnnxModelException(source + ": initializer " + quote(t.getName()) + " appears twice");
      }
    }
    return inits;
  }

  /**
   * Every node input must be an initializer, a graph input or another node's output. A removed initializer shows
   * up here first, as the dangling name it leaves behind.
   */
  private static void checkInputsExist(Onnx.GraphProto graph, Map<String, Onnx.TensorProto> inits, String source) {
    Set<String> known = new HashSet<>(inits.keySet());
    known.add(""); // an omitted optional input
    for (Onnx.ValueInfoProto v : graph.getInputList()) known.add(v.getName());
    for (Onnx.NodeProto n : graph.getNodeList()) known.addAll(n.getOutputList());
    for (Onnx.NodeProto n : graph.getNodeList()) {
      for (String in : n.getInputList()) {
        if (!known.contains(in)) {
          throw new OnnxModelException(source + ": missing initializer " + quote(in) + " (input of node "
              + quote(n.getName()) + ")");
        }
      }
    }
  }

  private static byte[] readFile(Path file) {
    try {
      if (Files.isDirectory(file)) throw new OnnxModelException(file + ": is a folder, not an .onnx file");
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 8) {
        throw new OnnxModelException(file + ": " + size + " bytes is more than one ONNX file can hold (2 GB)");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new OnnxModelException(file + ": no such file");
    } catch (IOException e) {
      throw new OnnxModelException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + ")");
    }
  }

  /** Protobuf's messages run to several sentences; the first says what happened. */
  private static String firstSentence(String message) {
    if (message == null) return "unreadable protobuf";
    int end = message.indexOf(". ");
    String first = end < 0 ? message : message.substring(0, end);
    return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
  }
}
