package org.ptlab.io.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.tokenizer.ByteTokenizer;
import org.ptlab.io.tokenizer.Tokenizer;
import org.ptlab.io.tokenizer.TokenizerFiles;
import org.ptlab.io.tokenizer.WordPieceTokenizer;
import org.ptlab.nn.ConfigJson;
import org.ptlab.nn.ModelSize;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.random.Rng;

/**
 * The one place that says what a model name means: the pretrained {@code minilm}, a user's {@code FILE.onnx} copy
 * of it, a preset of {@link Presets} (random weights from a seed, fields changed by {@code --set}-style
 * overrides), or a saved folder ({@code config.json} + {@code model.safetensors}, PTLab's or Hugging Face's BERT
 * or GPT-2 layout, and its tokenizer files when the model reads text). The CLI's {@code --model}, the benchmarks and the experiments all go through it.
 *
 * <pre>{@code
 * ModelSource src = ModelSource.of("minilm");
 * TransformerConfig cls = src.config().withHead(Head.CLASSIFY, Pooling.MEAN, 2);
 * Transformer model = src.load(cls, new Rng(7));    // pretrained encoder, new random head
 * Tokenizer tok = src.tokenizer();                   // WordPiece; null for presets (they read token ids)
 * }</pre>
 */
public final class ModelSource {
  /** A model folder's tokenizer file (Hugging Face's tokenizer.json), copied there when a MiniLM is saved. */
  public static final String TOKENIZER = "tokenizer.json";

  /** What a name refers to. */
  public enum Kind { PRETRAINED, ONNX_FILE, PRESET, FOLDER }

  private final String name;
  private final Kind kind;
  private final Map<String, String> overrides;

  private ModelSource(String name, Kind kind, Map<String, String> overrides) {
    this.name = name;
    this.kind = kind;
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides)); // keeps --set order
  }

  /** {@link #of(String, Map)} with no overrides. */
  public static ModelSource of(String name) {
    return of(name, Map.of());
  }

  /**
   * Resolves {@code name}; {@code overrides} change config fields ({@code dModel=64}) of a preset or of the
   * pretrained model's adjustable fields.
   *
   * @throws IllegalArgumentException naming the input when it is none of the above, or when overrides are given
   *     for a saved folder
   */
  public static ModelSource of(String name, Map<String, String> overrides) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("--model is required (" + MiniLm.NAME + ", a preset: "
          + String.join(", ", Presets.NAMES) + ", or a folder)");
    }
    Kind kind;
    if (MiniLm.NAME.equals(name)) {
      kind = Kind.PRETRAINED;
    } else if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      kind = Kind.ONNX_FILE;
    } else if (Files.isDirectory(Path.of(name))) {
      kind = Kind.FOLDER;
      if (!overrides.isEmpty()) {
        throw new IllegalArgumentException("--set applies to presets only; " + name + " is a saved model");
      }
    } else if (Presets.NAMES.contains(name)) {
      kind = Kind.PRESET;
    } else {
      throw new IllegalArgumentException("--model: '" + name + "' is neither " + MiniLm.NAME + ", a preset ("
          + String.join(", ", Presets.NAMES) + ") nor a folder");
    }
    return new ModelSource(name, kind, overrides);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this is the pretrained MiniLM (the built-in one or a user's ONNX copy). */
  public boolean isMiniLm() {
    return kind == Kind.PRETRAINED || kind == Kind.ONNX_FILE;
  }

  /** The configuration the model has, before any head change. */
  public TransformerConfig config() throws IOException {
    return switch (kind) {
      case PRETRAINED, ONNX_FILE -> withOverrides(MiniLm.config());
      case PRESET -> withOverrides(Presets.of(name));
      case FOLDER -> ModelFiles.readConfig(Path.of(name));
    };
  }

  /**
   * The model with {@code config} (usually {@link #config()} with a task head): the saved or pretrained weights,
   * or a preset's random ones drawn from {@code rng} (which also draws a new head's weights).
   *
   * @throws IllegalArgumentException naming the model and the memory it would need, when its parameters would not
   *     fit the heap ({@link ModelSize#requireFits})
   */
  public Transformer load(TransformerConfig config, Rng rng) throws IOException {
    ModelSize.requireFits(config, Runtime.getRuntime().maxMemory(), "--model " + name); // before any allocation
    return switch (kind) {
      case PRETRAINED -> MiniLm.load(config, rng);
      case ONNX_FILE -> MiniLm.load(Path.of(name), config, rng);
      case FOLDER -> ModelFiles.load(Path.of(name), config, rng);
      case PRESET -> Transformer.create(config, rng);
    };
  }

  /**
   * The model's tokenizer: MiniLM's WordPiece for the pretrained model; for a saved folder, its {@value #TOKENIZER}
   * (WordPiece or byte-level BPE) or GPT-2's encoder.json + vocab.bpe ({@link TokenizerFiles}); the UTF-8 bytes
   * for the {@code gpt} preset (vocabulary 256); null otherwise (the other presets read token ids or vectors).
   */
  public Tokenizer tokenizer() throws IOException {
    if (isMiniLm()) return WordPieceTokenizer.minilm();
    if (kind == Kind.PRESET && "gpt".equals(name) && config().vocabSize() >= ByteTokenizer.VOCAB) {
      return new ByteTokenizer(); // its vocabulary is the 256 bytes: text is read as UTF-8 bytes
    }
    return kind == Kind.FOLDER ? TokenizerFiles.read(Path.of(name)) : null;
  }

  /**
   * Writes the model's tokenizer files ({@value #TOKENIZER}, or encoder.json + vocab.bpe) into {@code dir} (a saved
   * model folder) when it has them, so that the folder reads text as the model it came from did; for the {@code gpt}
   * preset, its bytes as a BPE {@value #TOKENIZER} without merges ({@link ByteTokenizer#tokenizerJson}).
   */
  public void copyTokenizerTo(Path dir) throws IOException {
    byte[] json = null;
    if (kind == Kind.PRETRAINED) {
      try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
        if (in != null) json = in.readAllBytes();
      }
    } else if (kind == Kind.PRESET && tokenizer() instanceof ByteTokenizer) {
      json = ByteTokenizer.tokenizerJson(); // the gpt preset's bytes, as a tokenizer.json the saved folder reads
    } else if (kind == Kind.FOLDER) {
      for (String file : TokenizerFiles.NAMES) {
        Path from = Path.of(name).resolve(file);
        if (Files.isRegularFile(from)) AtomicFiles.write(dir.resolve(file), Files.readAllBytes(from));
      }
    }
    if (json != null) AtomicFiles.write(dir.resolve(TOKENIZER), json);
  }

  /** Provenance of the base model, recorded beside adapters: the name and the overrides. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", name);
    m.put("overrides", new LinkedHashMap<>(overrides));
    return m;
  }

  private TransformerConfig withOverrides(TransformerConfig base) {
    return overrides.isEmpty() ? base : ConfigJson.withOverrides(base, overrides);
  }
}
