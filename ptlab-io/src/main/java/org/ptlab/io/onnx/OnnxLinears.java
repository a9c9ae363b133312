package org.ptlab.io.onnx;

import static org.ptlab.io.onnx.OnnxModelException.quote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.io.onnx.proto.Onnx;

/**
 * Names the anonymous weights of an exported {@code nn.Linear}. PyTorch's exporter writes y = x·Wᵀ + b as
 * {@code MatMul(x, onnx::MatMul_N)} then {@code Add(X.bias, that)}, where {@code onnx::MatMul_N} holds Wᵀ [in, out]
 * under a name that says nothing; the bias keeps its module name {@code X.bias}, so the weight is {@code X.weight}.
 */
final class OnnxLinears {
  private static final String BIAS = ".bias";

  private OnnxLinears() {}

  /**
   * Initializer name → Hugging Face weight name, for every MatMul by an initializer. MatMuls of two activations
   * (attention scores, attention-weighted values) are not linears and are skipped.
   */
  static Map<String, String> weightNames(Onnx.GraphProto graph, Map<String, Onnx.TensorProto> inits, String source) {
    Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
    for (Onnx.NodeProto n : graph.getNodeList()) {
      for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
    }
    Map<String, String> names = new HashMap<>();
    for (Onnx.NodeProto n : graph.getNodeList()) {
      if (!n.getOpType().equals("MatMul") || n.getInputCount() != 2 || n.getOutputCount() != 1) continue;
      if (!inits.containsKey(n.getInput(0)) && !inits.containsKey(n.getInput(1))) continue;
      if (inits.containsKey(n.getInput(0))) {
        throw new OnnxModelException(source + ": MatMul " + quote(n.getName()) + " multiplies initializer "
            + quote(n.getInput(0)) + " from the left; PTLab reads linears as x·W");
      }
      String weight = n.getInput(1);
      String bias = biasOf(n, consumers.getOrDefault(n.getOutput(0), List.of()), inits, source);
      String target = bias.substring(0, bias.length() - BIAS.length()) + ".weight";
      String previous = names.putIfAbsent(weight, target);
      if (previous != null) {
        throw new OnnxModelException(source + ": initializer " + quote(weight) + " is the weight of two MatMuls ("
            + previous + " and " + target + ")");
      }
    }
    return names;
  }

  /** The one initializer named {@code *.bias} that an Add adds to the MatMul's output. */
  private static String biasOf(Onnx.NodeProto matMul, List<Onnx.NodeProto> consumers,
      Map<String, Onnx.TensorProto> inits, String source) {
    String product = matMul.getOutput(0);
    List<String> biases = new ArrayList<>();
    for (Onnx.NodeProto n : consumers) {
      if (!n.getOpType().equals("Add") || n.getInputCount() != 2) continue;
      String other = n.getInput(0).equals(product) ? n.getInput(1) : n.getInput(0);
      if (inits.containsKey(other) && other.endsWith(BIAS)) biases.add(other);
    }
    if (biases.size() != 1) {
      throw new OnnxModelException(source + ": MatMul " + quote(matMul.getName()) + " (weight "
          + quote(matMul.getInput(1)) + ") is followed by " + biases.size() + " Adds of a '*.bias' initializer, "
          + "not 1, so its weight cannot be named");
    }
    return biases.get(0);
  }
}
