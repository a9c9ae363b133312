package org.ptlab.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ptlab.io.OneLine;
import org.ptlab.io.safetensors.SafetensorsFile;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * One adapter folder being read, as a method's reader sees it: the parsed {@code adapter_config.json}, the open
 * {@code adapter_model.safetensors} and the model to attach to. The reader builds the method from the config; the
 * folder reader then copies the tensors in, checks shapes and rejects unused ones (see {@link AdapterFiles#load}).
 *
 * @param config the parsed adapter_config.json
 * @param configFile its path, for error messages
 * @param weights the open safetensors file (names and shapes; the reader need not copy values)
 * @param model the model the adapter attaches to
 */
public record SavedAdapter(JsonNode config, Path configFile, SafetensorsFile weights, Transformer model) {
  /** What a method's reader returns: the method, and its tensors under the keys this file uses for them. */
  public record Loaded(TuningMethod method, Map<String, Tensor> tensorsByFileKey) {
    /** A method whose file keys are its own {@link TuningMethod#adapterTensors()} keys. */
    public static Loaded of(TuningMethod method) {
      return new Loaded(method, method.adapterTensors());
    }
  }

  /** A method's {@code read(SavedAdapter)}: the registry's adapter reader for one peft_type. */
  @FunctionalInterface
  public interface Reader {
    Loaded read(SavedAdapter adapter);
  }

  /**
   * A positive int field of the config, or a one-line error naming the file and field. A fraction (8.5) is refused,
   * not truncated: the file would mean something PTLab does not build.
   */
  public int positiveInt(String field) {
    JsonNode v = config.get(field);
    if (!isInt(v) || v.asInt() < 1) {
      throw error("\"" + field + "\" must be a positive integer" + (v == null ? "" : ", got " + OneLine.quote(v.toString())));
    }
    return v.asInt();
  }

  /** Checks an optional size field against the model's (PEFT writes e.g. token_dim, num_layers). */
  public void checkDim(String field, int expected) {
    JsonNode v = config.get(field);
    if (v != null && (!isInt(v) || v.asInt() != expected)) {
      throw error("\"" + field + "\" is " + (isInt(v) ? v.asText() : OneLine.quote(v.toString())) + ", the model has "
          + expected);
    }
  }

  /**
   * Checks, before the method allocates anything, that the weights file holds {@code key} with exactly
   * {@code expected} as shape: sizes in the config ("num_virtual_tokens": 100000000, "r": 10000000) are only
   * believed when the file's tensors agree with them, so a hostile config cannot make the reader allocate.
   */
  public void requireShape(String key, long... expected) {
    if (!weights.names().contains(key)) {
      throw new IllegalArgumentException(weightsFile() + ": missing tensor " + OneLine.quote(key));
    }
    int[] has = weights.entry(key).shape();
    boolean same = has.length == expected.length;
    for (int i = 0; same && i < has.length; i++) same = has[i] == expected[i];
    if (!same) {
      throw new IllegalArgumentException(weightsFile() + ": tensor " + OneLine.quote(key) + " has shape "
          + Arrays.toString(has) + ", but " + configFile.getFileName() + " and the model give "
          + Arrays.toString(expected));
    }
  }

  private Path weightsFile() {
    return configFile.resolveSibling(AdapterFiles.WEIGHTS);
  }

  /** Whether {@code v} is a whole number in int range (8 or 8.0, not 8.5 or "8"). */
  public static boolean isInt(JsonNode v) {
    return v != null && v.isNumber() && v.canConvertToInt() && v.asDouble() == Math.rint(v.asDouble());
  }

  /** A one-line error naming the config file. */
  public IllegalArgumentException error(String message) {
    return new IllegalArgumentException(OneLine.of(configFile + ": " + message));
  }

  /** An rng for creating the method: its draws only size the tensors, whose values the file then overwrites. */
  public Rng unusedRng() {
    return new Rng(0);
  }
}
