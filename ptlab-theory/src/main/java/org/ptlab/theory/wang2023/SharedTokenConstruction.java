package org.ptlab.theory.wang2023;

import static org.ptlab.theory.wang2023.LinAlg.add;
import static org.ptlab.theory.wang2023.LinAlg.scale;
import static org.ptlab.theory.wang2023.LinAlg.sub;

import java.util.Map;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;

/**
 * Builds a model and a dataset that no prompt of any length can memorize (Wang et al. 2023, "L1"; spec
 * wang2023.md §2.2, construction steps 1–3) [D], for {@code ptlab construct shared-token}.
 *
 * <p>Model: {@link Presets#paper}(d, r) with random weights from {@code new Rng(seed)} (PTLab's N(0, 1/fan_in),
 * zero biases), then W2 scaled so that ℓ = ‖W2‖₂‖W1‖₂ equals the requested value exactly (up to rounding). Data
 * (from {@code Rng.derive(seed, 2023)}, entries N(0, 1)), tokens as rows, the shared token x_0 at position 1:
 * <pre>
 *   X_1 = [x_1; x_0] → Y_1 = [τ(X_1)_0; MLP(x_0 + b_1 + u_1)],   X_2 = [x_2; x_0] → Y_2 = [τ(X_2)_0; MLP(x_0 + b_2 + u_2)]
 *   b_i = Att(x_0, X_i),  u_1 = α(b_1 − b_2),  u_2 = α(b_2 − b_1).
 * </pre>
 * The targets at x_0 are in the MLP's range by construction; the targets at position 0 are the model's own
 * unprompted outputs (spec: "arbitrary"; this choice makes them reachable, so the whole loss comes from x_0).
 * The closed-form bound is (1 − ℓ)²α²‖b_1 − b_2‖² on the summed squared error (valid when ℓ < 1);
 * {@link #certificate()} is the general {@link SharedTokenLossBound}, which is ≥ it (it also uses the softmax
 * coupling). With ℓ ≥ 1 the model and data are still built and the certificate says it does not apply.
 *
 * <pre>{@code
 * SharedTokenConstruction c = SharedTokenConstruction.build(6, 12, 0.6, 1.5, 5);
 * c.closedFormSse();            // (1 − ℓ)²α²‖b1 − b2‖²
 * c.certificate().value();      // ≥ closedFormSse()
 * c.model().forward(...);       // the real Transformer; c.weights() for writing a model folder
 * }</pre>
 *
 * @param config the paper preset with dModel = d, mlpHidden = r
 * @param model the built model (float64)
 * @param inputs [2][2][d]
 * @param targets [2][2][d]
 * @param ell ℓ as measured after scaling
 * @param alpha α
 * @param deltaNorm ‖b_1 − b_2‖
 * @param closedFormSse (1 − ℓ)²α²‖b_1 − b_2‖² (NaN when ℓ ≥ 1)
 * @param certificate {@link SharedTokenLossBound#certify} on this model and data
 */
public record SharedTokenConstruction(TransformerConfig config, Transformer model, double[][][] inputs,
    double[][][] targets, double ell, double alpha, double deltaNorm, double closedFormSse, Certificate certificate) {

  /** Builds the model and dataset; d, r ≥ 1, ℓ > 0, α > 0. */
  public static SharedTokenConstruction build(int d, int r, double ell, double alpha, long seed) {
    if (d < 1) throw new IllegalArgumentException("--d must be >= 1, got " + d);
    if (r < 1) throw new IllegalArgumentException("--r must be >= 1, got " + r);
    if (!(ell > 0) || !Double.isFinite(ell)) throw new IllegalArgumentException("--ell must be > 0, got " + ell);
    if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("--alpha must be > 0, got " + alpha);
    TransformerConfig config = Presets.paper(d, r);
    Transformer model = Transformer.create(config, new Rng(seed));
    scaleW2(model, ell);
    PaperLayer layer = PaperLayer.of(model);
    Rng rng = Rng.derive(seed, 2023);
    double[] x0 = gaussian(rng, d);
    double[][] x1 = {gaussian(rng, d), x0};
    double[][] x2 = {gaussian(rng, d), x0};
    double[] b1 = layer.attention(x0, x1);
    double[] b2 = layer.attention(x0, x2);
    double[] delta = sub(b1, b2);
    double[][] y1 = {layer.forward(new double[0][], x1)[0], layer.mlp(add(add(x0, b1), scale(alpha, delta)))};
    double[][] y2 = {layer.forward(new double[0][], x2)[0], layer.mlp(add(add(x0, b2), scale(-alpha, delta)))};
    double[][][] inputs = {x1, x2};
    double[][][] targets = {y1, y2};
    double measured = MlpInjectivity.of(layer).ell();
    double dn = LinAlg.norm(delta);
    double closed = measured < 1 ? (1 - measured) * (1 - measured) * alpha * alpha * dn * dn : Double.NaN;
    Certificate cert = SharedTokenLossBound.certify(model, inputs, targets);
    return new SharedTokenConstruction(config, model, inputs, targets, measured, alpha, dn, closed, cert);
  }

  /** The model's weights under PTLab's (Hugging Face) names: what a model folder stores. */
  public Map<String, Tensor> weights() {
    return model.parameters().all();
  }

  /** The closed form in {@code ptlab eval}'s units: divided by (positions·d) = 4d. */
  public double closedFormEvalLoss() {
    return closedFormSse / (ArrayData.positions(inputs) * config.dModel());
  }

  /** W2 ← W2·ℓ/(‖W2‖‖W1‖), so that ‖W2‖‖W1‖ = ℓ. */
  private static void scaleW2(Transformer model, double ell) {
    PaperLayer layer = PaperLayer.of(model);
    double now = LinAlg.spectralNorm(layer.w1()) * LinAlg.spectralNorm(layer.w2());
    Tensor w2 = model.parameters().get("encoder.layer.0.output.dense.weight");
    double f = ell / now;
    for (int i = 0; i < w2.numel(); i++) w2.setFlat(i, w2.getFlat(i) * f);
  }

  private static double[] gaussian(Rng rng, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) v[i] = rng.nextGaussian();
    return v;
  }
}
