package org.ptlab.theory.hu2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;

/**
 * A universality construction verified on every grid cell of every member: the numbers {@code ptlab construct
 * universal} prints, plus the model and the prompts.
 *
 * @param build the model, prompts and choices
 * @param maxError largest |τ([P_f, G])_{L_p:} − f̄(G)| over members, cells and entries
 * @param verified maxError ≤ {@link UniversalConstruction#TOLERANCE}
 */
public record UniversalResult(UniversalBuild build, double maxError, boolean verified) {
  /** L_p, from the counting formula. */
  public int promptLength() {
    return build.family().promptLength();
  }

  /** FF_2's interpolation units: distinct ids − 1 (shared by the d output coordinates). */
  public int ffnWidth() {
    return build.lookup().interpolationWidth();
  }

  /** FF_2's whole hidden width: ids − 1 interpolation units, 1 flattening unit, 2d identity-cancelling units. */
  public int ff2Hidden() {
    return build.lookup().weights().hidden();
  }

  /** Smallest gap between two distinct context ids, as the model computes them. */
  public double minIdGap() {
    return build.lookup().minGap();
  }

  public Transformer model() {
    return build.model();
  }

  /** One prompt [L_p, d] per member, in enumeration order. */
  public List<Tensor> prompts() {
    return build.prompts();
  }

  /** The JSON fields of {@code ptlab construct universal}. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompt_length", promptLength());
    m.put("ffn_width", ffnWidth());
    m.put("min_id_gap", minIdGap());
    m.put("max_error", maxError);
    m.put("verified", verified);
    return m;
  }
}
