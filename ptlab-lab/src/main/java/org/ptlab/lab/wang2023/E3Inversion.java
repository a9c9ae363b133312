package org.ptlab.lab.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.wang2023.BlockBranches;
import org.ptlab.theory.wang2023.LipschitzInvertibilityCertificate;
import org.ptlab.theory.wang2023.ObservedGain;
import org.ptlab.theory.wang2023.ResidualFixedPointInverse;

/**
 * E3's inversion runs: every residual branch of the prompted causal model inverted by z ← y − F(z)
 * ({@link ResidualFixedPointInverse}), each from its true output, so the true input z* is known and the error
 * ‖z_k − z*‖_{∞,2} can be set against the a-priori bound L^k/(1 − L)·‖z_1 − z_0‖ with L the branch's certified
 * constant (κ_att,ℓ on the ball of radius D_ℓ, κ_mlp,ℓ everywhere).
 */
final class E3Inversion {
  /** Iterations where the bound is below this are not compared (the error sits at float64 round-off there). */
  static final double COMPARE_ABOVE = 1e-12;

  private E3Inversion() {}

  /** Metrics and curves of the inversion of every branch for prompt {@code prompt} [m_p, d] and input x [1, m, d]. */
  static Map<String, Object>[] run(BlockBranches branches, LipschitzInvertibilityCertificate cert, Tensor prompt,
      Tensor x, int iterations) {
    int d = x.dim(2);
    Map<String, Object> metrics = new LinkedHashMap<>();
    Map<String, Object> curves = new LinkedHashMap<>();
    double worstRatio = 0;
    double worstBallExcess = Double.NEGATIVE_INFINITY;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor[] states = branches.promptStates(prompt);
      Tensor u = x; // [1, m, d] the input rows entering layer ℓ
      for (int l = 0; l < branches.config().layers(); l++) {
        LipschitzInvertibilityCertificate.LayerTerms terms = cert.layers().get(l);
        final int layer = l;
        final Tensor state = states[l];
        Tensor h = u.add(branches.attentionAtInputs(l, state, u)); // [1, m, d]
        Tensor out = h.add(branches.mlp(l, h));
        double[][] att = branch(t -> branches.attentionAtInputs(layer, state, t), h, u, terms.attention().spec(),
            iterations, d);
        double[][] mlp = branch(t -> branches.mlp(layer, t), out, h, terms.mlp().lipschitz(), iterations, d);
        worstRatio = Math.max(worstRatio, Math.max(att[2][0], mlp[2][0]));
        worstBallExcess = Math.max(worstBallExcess, att[2][1] - terms.radius());
        curves.put("error_att_" + l, toList(att[0]));
        curves.put("bound_att_" + l, toList(att[1]));
        curves.put("error_mlp_" + l, toList(mlp[0]));
        curves.put("bound_mlp_" + l, toList(mlp[1]));
        metrics.put("kappa_att_" + l, terms.attention().spec());
        metrics.put("kappa_mlp_" + l, terms.mlp().lipschitz());
        u = out;
      }
    }
    metrics.put("max_error_over_bound", worstRatio);
    metrics.put("max_iterate_norm_minus_radius", worstBallExcess);
    @SuppressWarnings("unchecked")
    Map<String, Object>[] r = new Map[] {metrics, curves};
    return r;
  }

  /**
   * Inverts y = z* + F(z*) from z_0 = y: returns {errors per k, bounds per k, {max error/bound over compared k,
   * max iterate norm}}.
   */
  private static double[][] branch(UnaryOperator<Tensor> f, Tensor y, Tensor zStar, double lip, int iterations,
      int d) {
    int[] shape = y.shape();
    UnaryOperator<double[]> g = z -> f.apply(Tensor.of(z, shape)).toDoubleArray();
    double[] yy = y.toDoubleArray();
    double[] truth = zStar.toDoubleArray();
    ResidualFixedPointInverse.Result r = ResidualFixedPointInverse.invert(g, yy, yy, lip, iterations,
        z -> ObservedGain.infTwo(z, d));
    double[] err = new double[iterations + 1];
    double[] bound = new double[iterations + 1];
    double worst = 0;
    for (int k = 0; k <= iterations; k++) {
      err[k] = ObservedGain.infTwo(ResidualFixedPointInverse.difference(r.iterates().get(k), truth), d);
      bound[k] = r.bound(k);
      if (bound[k] >= COMPARE_ABOVE) worst = Math.max(worst, err[k] / bound[k]);
    }
    return new double[][] {err, bound, {worst, r.maxNorm()}};
  }

  private static List<Double> toList(double[] xs) {
    List<Double> l = new ArrayList<>(xs.length);
    for (double v : xs) l.add(v);
    return l;
  }
}
