package org.ptlab.tuning.fuzz;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.ptlab.io.onnx.proto.Onnx;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * A small ONNX model in the layout PyTorch exports BERT (see OnnxLinears): named embeddings, norms and biases, each
 * linear's weight as an anonymous {@code onnx::MatMul_N} [in, out] consumed by a MatMul whose output an Add adds to
 * the named bias. A few KB instead of MiniLM's 90 MB, so thousands of mutants parse in seconds.
 */
final class TinyOnnx {
  private TinyOnnx() {}

  static Onnx.ModelProto build(TransformerConfig config) {
    Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("tiny")
        .addInput(Onnx.ValueInfoProto.newBuilder().setName("hidden"));
    int n = 0;
    for (Map.Entry<String, Tensor> e : Transformer.create(config, new Rng(3)).parameters().all().entrySet()) {
      String name = e.getKey();
      Tensor t = e.getValue();
      boolean linear = name.startsWith("encoder.") && name.endsWith(".weight") && t.rank() == 2;
      if (!linear) {
        g.addInitializer(floats(name, t, false));
        continue;
      }
      String anon = "onnx::MatMul_" + (100 + n);
      String bias = name.substring(0, name.length() - ".weight".length()) + ".bias";
      g.addInitializer(floats(anon, t, true));
      g.addNode(Onnx.NodeProto.newBuilder().setName("/mm" + n).setOpType("MatMul").addInput("hidden").addInput(anon)
          .addOutput("mm" + n));
      g.addNode(Onnx.NodeProto.newBuilder().setName("/add" + n).setOpType("Add").addInput(bias).addInput("mm" + n)
          .addOutput("add" + n));
      n++;
    }
    return Onnx.ModelProto.newBuilder().setIrVersion(6).setProducerName("fuzz").setGraph(g).build();
  }

  /** {@code t} as FLOAT raw data; a linear's weight transposed to [in, out] as the exporter stores it. */
  private static Onnx.TensorProto floats(String name, Tensor t, boolean transpose) {
    int[] s = t.shape();
    ByteBuffer b = ByteBuffer.allocate(4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
    Onnx.TensorProto.Builder p = Onnx.TensorProto.newBuilder().setName(name).setDataType(1);
    if (transpose) {
      for (int i = 0; i < s[1]; i++) for (int o = 0; o < s[0]; o++) b.putFloat((float) t.getFlat(o * s[1] + i));
      p.addDims(s[1]).addDims(s[0]);
    } else {
      for (int i = 0; i < t.numel(); i++) b.putFloat((float) t.getFlat(i));
      for (int d : s) p.addDims(d);
    }
    return p.setRawData(ByteString.copyFrom(b.array())).build();
  }

  /** One structural edit through the builder, reaching the checks a random byte rarely gets past the parser to. */
  static Onnx.ModelProto mutate(Onnx.ModelProto m, java.util.Random rng) {
    Onnx.ModelProto.Builder b = m.toBuilder();
    Onnx.GraphProto.Builder g = b.getGraphBuilder();
    int i = rng.nextInt(g.getInitializerCount());
    Onnx.TensorProto.Builder t = g.getInitializerBuilder(i);
    long[] sizes = {0, -1, 1, 7, 1L << 31, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000};
    switch (rng.nextInt(12)) {
      case 0 -> {
        if (t.getDimsCount() > 0) t.setDims(rng.nextInt(t.getDimsCount()), sizes[rng.nextInt(sizes.length)]);
      }
      case 1 -> t.addDims(sizes[rng.nextInt(sizes.length)]);
      case 2 -> t.clearDims();
      case 3 -> t.setDataType(rng.nextInt(20));
      case 4 -> t.setRawData(t.getRawData().substring(0, rng.nextInt(t.getRawData().size() + 1)));
      case 5 -> t.clearRawData().addFloatData(1f).addFloatData(2f);
      case 6 -> t.setName(new String[] {"", "x\ny", t.getName() + ".bias", "onnx::MatMul_1", "embeddings.position_ids"}
          [rng.nextInt(5)]);
      case 7 -> g.removeInitializer(i);
      case 8 -> g.addInitializer(t.build());
      case 9 -> t.setDataLocation(rng.nextInt(3));
      case 10 -> {
        Onnx.NodeProto.Builder node = g.getNodeBuilder(rng.nextInt(g.getNodeCount()));
        if (node.getInputCount() > 0) node.setInput(rng.nextInt(node.getInputCount()), g.getInitializer(i).getName());
        if (rng.nextBoolean()) node.setOpType(rng.nextBoolean() ? "Add" : "MatMul");
      }
      default -> g.removeNode(rng.nextInt(g.getNodeCount()));
    }
    if (rng.nextInt(20) == 0) b.setIrVersion(rng.nextBoolean() ? 0 : -5);
    return b.build();
  }
}
