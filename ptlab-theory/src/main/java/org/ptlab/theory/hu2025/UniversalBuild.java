package org.ptlab.theory.hu2025;

import java.util.List;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.Tensor;

/**
 * A built universality construction ({@link UniversalConstruction}): the PTLab model, one prompt [L_p, d] per
 * member (same order as {@code tables}, the members' digit tables), and what the build chose and measured.
 */
public record UniversalBuild(QuantizedFamily family, Transformer model, List<Tensor> prompts, List<int[][]> tables,
    BoltzmannContextualMapping.Choice map, InterpolationLookup.Lookup lookup, int quantizerWidth) {

  /** τ([P_m, X_b])_{L_p:} for B inputs x [B·L·d] with member m's prompt. */
  public double[] predict(int member, double[] x, int batch) {
    return UniversalConstruction.predict(model, prompts.get(member), x, batch, family.L());
  }
}
