package org.ptlab.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * A model's named weights in creation order, under Hugging Face names ({@code encoder.layer.0.attention.self.query
 * .weight}). Layers create their tensors here; loading copies values into the same tensors, so layers never hold
 * stale references.
 */
public final class ParameterSet {
  private final Map<String, Tensor> byName = new LinkedHashMap<>();
  private final DType dtype;
  private final Rng rng; // null: create zeros (to be loaded)
  private final double initStd;

  ParameterSet(DType dtype, Rng rng, double initStd) {
    this.dtype = dtype;
    this.rng = rng;
    this.initStd = initStd;
  }

  /** A weight matrix [out, in] (or table [rows, d]): N(0, std²), std = initStd or 1/√fanIn when initStd is 0. */
  Tensor normal(String name, int fanIn, int... shape) {
    double std = initStd > 0 ? initStd : 1 / Math.sqrt(fanIn);
    return add(name, rng == null ? Tensor.zeros(dtype, shape) : Tensor.randn(rng, dtype, std, shape));
  }

  /** A tensor filled with {@code value} (biases 0, layer-norm gains 1). */
  Tensor constant(String name, double value, int... shape) {
    return add(name, Tensor.full(dtype, value, shape));
  }

  private Tensor add(String name, Tensor t) {
    if (byName.putIfAbsent(name, t.named(name)) != null) throw new IllegalStateException("duplicate parameter " + name);
    return t;
  }

  /** The tensor called {@code name}, or an error naming it. */
  public Tensor get(String name) {
    Tensor t = byName.get(name);
    if (t == null) throw new IllegalArgumentException("model has no parameter '" + name + "'");
    return t;
  }

  /** Whether a parameter has this name. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** Every parameter, in creation order (read-only view; the tensors themselves are live). */
  public Map<String, Tensor> all() {
    return Collections.unmodifiableMap(byName);
  }

  /** Total number of scalars. */
  public long count() {
    long n = 0;
    for (Tensor t : byName.values()) n += t.numel();
    return n;
  }

  /** The element type of every parameter. */
  public DType dtype() {
    return dtype;
  }
}
