package org.ptlab.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;

/**
 * Finds the first NaN or infinite value in tensors and JSON trees, for the writers that must not store one and for
 * the trainer that must stop before one is kept. The checks only read, so a run that never meets a non-finite
 * value computes the same bits with or without them.
 *
 * <pre>{@code
 * FiniteValues.require(file, Map.of("prompt_embeddings", prompt)); // NonFiniteValueException if any is NaN/inf
 * String problem = FiniteValues.firstProblem(trainable);           // "'lora_A' holds NaN at [0, 3]", or null
 * }</pre>
 */
public final class FiniteValues {
  private FiniteValues() {}

  /**
   * The first tensor of {@code tensors} (in map order) that holds a NaN or infinity, described as
   * {@code 'name' holds NaN at [i, j]}; null when every value is finite.
   */
  public static String firstProblem(Map<String, Tensor> tensors) {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String p = problem(e.getKey(), e.getValue());
      if (p != null) return p;
    }
    return null;
  }

  /** {@code 'name' holds NaN at [i, j]} for the first non-finite element of {@code t}, or null if there is none. */
  public static String problem(String name, Tensor t) {
    if (t == null || t.allFinite()) return null; // the engine's kernel; the scan below only finds the index
    int n = t.numel();
    for (int i = 0; i < n; i++) {
      double v = t.getFlat(i);
      if (!Double.isFinite(v)) return OneLine.quote(name) + " holds " + v + " at " + index(t.shape(), i);
    }
    return null;
  }

  /**
   * Refuses to let {@code file} be written when one of {@code tensors} is not finite.
   *
   * @throws NonFiniteValueException {@code FILE: tensor 'name' holds NaN at [i, j]; ...}
   */
  public static void require(Object file, Map<String, Tensor> tensors) {
    String p = firstProblem(tensors);
    if (p != null) throw refused(file, "tensor " + p);
  }

  /**
   * Refuses to let {@code file} be written when a number of {@code json} is NaN or infinite (Jackson would write it
   * as a string "NaN" that no reader takes for a number).
   *
   * @throws NonFiniteValueException {@code FILE: "train.loss" is NaN; ...}
   */
  public static void require(Object file, JsonNode json) {
    String p = firstProblem(json, "");
    if (p != null) throw refused(file, p);
  }

  /**
   * Whether {@code v} is finite once stored as {@code dtype}: a float64 value beyond ±{@link Float#MAX_VALUE}
   * (after rounding) becomes infinite in a float32 model.
   */
  public static boolean fits(double v, DType dtype) {
    return dtype == DType.F32 ? Float.isFinite((float) v) : Double.isFinite(v);
  }

  private static String firstProblem(JsonNode n, String path) {
    if (n.isNumber()) return Double.isFinite(n.doubleValue()) ? null : "\"" + path + "\" is " + n.doubleValue();
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = firstProblem(e.getValue(), path.isEmpty() ? OneLine.of(e.getKey()) : path + "." + OneLine.of(e.getKey()));
        if (p != null) return p;
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        String p = firstProblem(n.get(i), path + "[" + i + "]");
        if (p != null) return p;
      }
    }
    return null;
  }

  private static NonFiniteValueException refused(Object file, String problem) {
    return new NonFiniteValueException(OneLine.of(String.valueOf(file)) + ": " + problem
        + "; PTLab writes only finite values, so the file was not written");
  }

  /** The full index of flat position {@code flat} in a row-major tensor of {@code shape}, e.g. "[1, 3]". */
  private static String index(int[] shape, int flat) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
      flat = shape[d] == 0 ? 0 : flat / shape[d];
    }
    return java.util.Arrays.toString(idx);
  }
}
