package org.ptlab.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.io.model.MiniLm;
import org.ptlab.io.onnx.proto.Onnx;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;

/**
 * Bad .onnx files get one line naming the file and the problem, never a trace or a protobuf dump. Each broken model
 * is the real one edited through the protobuf builder and written out again.
 */
class OnnxWeightsCorruptTest {
  static final String FILE = "broken.onnx";
  static byte[] bytes;
  static Onnx.ModelProto model;

  @BeforeAll
  static void parse() throws IOException {
    try (InputStream in = OnnxWeightsCorruptTest.class.getClassLoader().getResourceAsStream(MiniLm.RESOURCE)) {
      bytes = in.readAllBytes();
    }
    model = Onnx.ModelProto.parseFrom(bytes);
  }

  @Test
  void theRealFileParsesAsTheSpecSays() {
    assertEquals(6, model.getIrVersion());
    assertEquals(637, model.getGraph().getNodeCount());
    assertEquals(102, model.getGraph().getInitializerCount());
  }

  @Test
  void notOnnx() {
    assertMessage(Arrays.copyOf(bytes, bytes.length / 2), FILE + ": not an ONNX model (While parsing a protocol "
        + "message, the input ended unexpectedly in the middle of a field)");
    byte[] noise = new byte[1 << 16];
    new Random(1).nextBytes(noise);
    assertMessage(noise, FILE + ": not an ONNX model (Protocol message end-group tag did not match expected tag)");
    assertMessage(new byte[0], FILE + ": not an ONNX model (no ir_version, graph or initializers)");
    assertMessage("{\"weights\": []}\n".getBytes(StandardCharsets.UTF_8), FILE + ": not an ONNX model (");
  }

  @Test
  void missingInitializers() {
    assertMessage(edit(g -> remove(g, "encoder.layer.3.output.LayerNorm.weight")),
        FILE + ": missing initializer 'encoder.layer.3.output.LayerNorm.weight' (input of node "
            + "'/encoder/layer.3/output/LayerNorm/Mul')");
    assertMessage(edit(g -> remove(g, "onnx::MatMul_787")), FILE + ": missing initializer 'onnx::MatMul_787'");
  }

  @Test
  void wrongShapeTypeOrSize() {
    assertMessage(edit(g -> init(g, "embeddings.position_embeddings.weight").clearDims().addDims(256).addDims(768)),
        FILE + ": initializer 'embeddings.position_embeddings.weight' has shape [256, 768], the config needs "
            + "[512, 384]");
    assertMessage(edit(g -> init(g, "onnx::MatMul_787").clearDims().addDims(384).addDims(384).addDims(1)),
        FILE + ": initializer 'onnx::MatMul_787' (encoder.layer.0.attention.self.query.weight) has shape "
            + "[384, 384, 1], the config needs [384, 384] ([in, out] of a MatMul)");
    assertMessage(edit(g -> init(g, "encoder.layer.0.attention.self.key.bias").setDataType(11)),
        FILE + ": initializer 'encoder.layer.0.attention.self.key.bias' has data type DOUBLE (11), PTLab reads FLOAT");
    assertMessage(edit(g -> {
      Onnx.TensorProto.Builder t = init(g, "encoder.layer.5.output.dense.bias");
      t.setRawData(t.getRawData().substring(0, 1532));
    }), FILE + ": initializer 'encoder.layer.5.output.dense.bias' has 1532 bytes of raw_data, its shape needs 1536");
    assertMessage(edit(g -> init(g, "embeddings.LayerNorm.bias").setDataLocation(1).clearRawData()
        .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))),
        FILE + ": initializer 'embeddings.LayerNorm.bias' keeps its data in an external file");
    assertMessage(edit(g -> {
      Onnx.TensorProto.Builder t = init(g, "embeddings.LayerNorm.bias");
      byte[] raw = t.getRawData().toByteArray();
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 7, Float.NaN);
      t.setRawData(ByteString.copyFrom(raw));
    }), FILE + ": initializer 'embeddings.LayerNorm.bias' holds NaN at element 7");
  }

  @Test
  void graphsWhoseWeightsCannotBeNamed() {
    // The query projection's Add now adds an activation instead of its bias: the MatMul weight has no name.
    assertMessage(edit(g -> node(g, "/encoder/layer.0/attention/self/query/Add")
        .setInput(0, "/embeddings/LayerNorm/Add_1_output_0")),
        FILE + ": MatMul '/encoder/layer.0/attention/self/query/MatMul' (weight 'onnx::MatMul_787') is followed by "
            + "0 Adds of a '*.bias' initializer, not 1, so its weight cannot be named");
    // The key projection adds the query's bias: two MatMul weights claim the query's name.
    assertMessage(edit(g -> node(g, "/encoder/layer.0/attention/self/key/Add")
        .setInput(0, "encoder.layer.0.attention.self.query.bias")),
        FILE + ": initializers 'onnx::MatMul_787' and 'onnx::MatMul_788' both map to "
            + "encoder.layer.0.attention.self.query.weight");
    assertMessage(edit(g -> g.addInitializer(Onnx.TensorProto.newBuilder().setName("pooler.dense.bias")
        .setDataType(1).addDims(384).setRawData(ByteString.copyFrom(new byte[1536])))),
        FILE + ": unexpected initializer 'pooler.dense.bias' (not a weight of this BERT config)");
  }

  @Test
  void filesOnDisk(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.onnx");
    OnnxModelException e = assertThrows(OnnxModelException.class,
        () -> MiniLm.load(missing, MiniLm.config(), null));
    assertEquals(missing + ": no such file", e.getMessage());
    e = assertThrows(OnnxModelException.class, () -> MiniLm.load(dir, MiniLm.config(), null));
    assertEquals(dir + ": is a folder, not an .onnx file", e.getMessage());
    Path copy = dir.resolve("mine.onnx");
    Files.write(copy, bytes);
    Transformer fromFile = MiniLm.load(copy, MiniLm.config(), null);
    Map<String, Tensor> ours = fromFile.parameters().all();
    for (Map.Entry<String, Tensor> w : MiniLm.weights().entrySet()) {
      assertTrue(Arrays.equals(w.getValue().toFloatArray(), ours.get(w.getKey()).toFloatArray()), w.getKey());
    }
    Path bad = dir.resolve("half.onnx");
    Files.write(bad, Arrays.copyOf(bytes, 1000));
    e = assertThrows(OnnxModelException.class, () -> MiniLm.load(bad, MiniLm.config(), null));
    assertTrue(e.getMessage().startsWith(bad + ": not an ONNX model ("), e.getMessage());
  }

  /** Reading {@code file} fails with one line that starts with {@code expected} (the whole message if it ends so). */
  static void assertMessage(byte[] file, String expected) {
    OnnxModelException e = assertThrows(OnnxModelException.class,
        () -> OnnxWeights.read(file, FILE, MiniLm.config()));
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    assertTrue(m.startsWith(expected), "expected '" + expected + "…', got: " + m);
    assertTrue(m.length() < 300, "short: " + m);
  }

  /** The real model with {@code change} applied to its graph, serialized. */
  static byte[] edit(Consumer<Onnx.GraphProto.Builder> change) {
    Onnx.ModelProto.Builder b = model.toBuilder();
    change.accept(b.getGraphBuilder());
    return b.build().toByteArray();
  }

  static Onnx.TensorProto.Builder init(Onnx.GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) return g.getInitializerBuilder(i);
    }
    throw new AssertionError("no initializer " + name);
  }

  static void remove(Onnx.GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        g.removeInitializer(i);
        return;
      }
    }
    throw new AssertionError("no initializer " + name);
  }

  static Onnx.NodeProto.Builder node(Onnx.GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getName().equals(name)) return g.getNodeBuilder(i);
    }
    throw new AssertionError("no node " + name);
  }
}
