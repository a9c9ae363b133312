package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.theory.Certificate;

/**
 * The Lipschitz and invertibility certificates of a prompted multi-layer transformer (Wang et al. 2023, §6:
 * Lemma 6 and the invertibility theorem; spec wang2023.md §4 [D], §0.1). Names: {@code lipschitz} and
 * {@code invertibility}.
 *
 * <p><b>LIPSCHITZ-NOTES.</b>
 * <ul>
 *   <li>Convention: tokens are rows, X ∈ R^{m×d} (the paper writes columns, X ∈ R^{d×m}). Every norm on sequences
 *       is ‖X‖_{∞,2} = max_j ‖x_j‖₂, the norm Lemma 6 is stated in (spec §0.1): a check must maximise that induced
 *       gain, not the spectral norm of the flattened Jacobian, which grows like √m.
 *   <li>Setting: the model's blocks H = X + Att(X), out = H + g(H) (no layer norm, no attention biases, no positional
 *       encodings added inside the model), the prompt P [m_p, d] prepended at position 0 with ‖p_j‖ ≤ D0, input
 *       tokens with ‖x_j‖ ≤ D. The certificates speak about X ↦ τ_P(X), the hidden states at the input positions
 *       (the model's {@code encode}), for every admissible prompt at once.
 *   <li>Radii: D_0 = max(D, D0) (D alone without a prompt), then {@link RadiusRecursion}.
 *   <li>Per layer ℓ: κ_att,ℓ from {@link AttentionLipschitzBound} on D_ℓ (spec form; the tighter [D] form is in the
 *       details as {@code *_tight}), κ_mlp,ℓ = c_σ‖W2‖‖W1‖ from {@link MlpLipschitzBound} (GELU: c_σ ≈ 1.1289).
 *   <li>{@code lipschitz} = Π_ℓ (1 + κ_att,ℓ)(1 + κ_mlp,ℓ): each residual map z + F(z) is (1 + Lip F)-Lipschitz, and
 *       the ball is convex and mapped into the next ball. Holds for causal and bidirectional attention (a fixed
 *       prompt is a perturbation of size 0).
 *   <li>{@code invertibility} = κ = Π_ℓ (1 − κ_att,ℓ)(1 − κ_mlp,ℓ) when every branch constant is < 1 and attention is
 *       causal (or there is no prompt): then ‖τ_P(X1) − τ_P(X2)‖_{∞,2} ≥ κ‖X1 − X2‖_{∞,2} (reverse triangle
 *       inequality per residual map, ‖F(U) − F(U′)‖ ≥ (1 − Lip)‖U − U′‖). Causality is needed because prompt-position
 *       states must not depend on X; with bidirectional attention and a prompt the certificate refuses (spec §4
 *       leaves that case open). A non-injective dataset (X1 ≠ X2, Y1 = Y2) then has summed squared error
 *       ≥ (κ‖X1 − X2‖_{∞,2})²/2 for every admissible prompt.
 *   <li>Not covered: layer norm (no Lipschitz bound without a variance floor), attention biases, positional
 *       encodings (they shift the ball), prompt position 1, the output head. Such models get {@code applies: false}
 *       with the reason.
 *   <li>Where the spec's math was adjusted: the radius recursion uses |σ(y)| ≤ |y| (not c_σ) for GELU; κ_mlp uses
 *       c_σ. Both bounds are tested never to fall below a gain found by gradient ascent ({@link ObservedGain}).
 * </ul>
 *
 * <pre>{@code
 * LipschitzInvertibilityCertificate c = LipschitzInvertibilityCertificate.certify(model, 1.0, 1.0, 4);
 * c.lipschitz().toJson();      // {"name":"lipschitz","applies":true,"value":…,"unit":…,"reason":…,"layers":[…]}
 * c.invertibility().value();   // κ, or null with the failing layer/branch in reason()
 * }</pre>
 *
 * @param inputRadius D, the radius of the input tokens
 * @param promptRadius D0, the radius of the prompt tokens (ignored when promptLength is 0)
 * @param promptLength m_p
 * @param radii D_0 … D_L (empty when the model is not covered)
 * @param layers per-layer terms (empty when the model is not covered)
 * @param lipschitz the {@code lipschitz} certificate
 * @param invertibility the {@code invertibility} certificate
 */
public record LipschitzInvertibilityCertificate(double inputRadius, double promptRadius, int promptLength,
    double[] radii, List<LayerTerms> layers, Certificate lipschitz, Certificate invertibility) {

  /** Unit of the {@code lipschitz} value. */
  public static final String LIPSCHITZ_UNIT = "gain in ||.||_{inf,2} (max token 2-norm)";
  /** Unit of the {@code invertibility} value. */
  public static final String INVERTIBILITY_UNIT = "lower bound on ||tau(X1)-tau(X2)||/||X1-X2|| in ||.||_{inf,2}";

  /**
   * One block's terms.
   *
   * @param layer ℓ (0-based)
   * @param radius D_ℓ
   * @param attention κ_att,ℓ and its heads
   * @param mlp κ_mlp,ℓ
   */
  public record LayerTerms(int layer, double radius, AttentionLipschitzBound.Layer attention, MlpLipschitzBound mlp) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", layer);
      m.put("radius", radius);
      m.put("kappa_att", attention.spec());
      m.put("kappa_att_tight", attention.tight());
      m.put("kappa_mlp", mlp.lipschitz());
      m.put("activation_constant", mlp.activationConstant());
      m.put("heads", attention.headMaps());
      return m;
    }
  }

  /** Both certificates for {@code model}, inputs of radius D and a prompt of m_p rows of radius D0. */
  public static LipschitzInvertibilityCertificate certify(Transformer model, double inputRadius, double promptRadius,
      int promptLength) {
    checkArguments(inputRadius, promptRadius, promptLength);
    String unsupported = unsupported(model.config());
    if (unsupported != null) {
      Map<String, Object> d = Map.of("input_radius", inputRadius);
      return new LipschitzInvertibilityCertificate(inputRadius, promptRadius, promptLength, new double[0], List.of(),
          Certificate.refuses("lipschitz", LIPSCHITZ_UNIT, unsupported, d),
          Certificate.refuses("invertibility", INVERTIBILITY_UNIT, unsupported, d));
    }
    List<BlockWeights> blocks = BlockWeights.all(model);
    double d0 = promptLength > 0 ? Math.max(inputRadius, promptRadius) : inputRadius;
    double[] radii = RadiusRecursion.radii(blocks, d0);
    List<LayerTerms> layers = new ArrayList<>();
    for (int l = 0; l < blocks.size(); l++) {
      BlockWeights w = blocks.get(l);
      layers.add(new LayerTerms(l, radii[l], AttentionLipschitzBound.of(w, radii[l]), MlpLipschitzBound.of(w)));
    }
    boolean causal = model.config().causal();
    return new LipschitzInvertibilityCertificate(inputRadius, promptRadius, promptLength, radii, List.copyOf(layers),
        lipschitzReport(layers, radii, inputRadius, promptRadius, promptLength),
        invertibilityReport(layers, radii, causal, promptLength));
  }

  /** Π(1 + κ_att)(1 + κ_mlp) with the spec's attention bound. */
  public double lipschitzBound() {
    return product(layers, false, +1);
  }

  /** Π(1 + κ_att)(1 + κ_mlp) with the tighter attention bound [D]. */
  public double lipschitzBoundTight() {
    return product(layers, true, +1);
  }

  /** Π(1 − κ_att)(1 − κ_mlp) with the spec's bound (meaningful only when every factor is positive). */
  public double kappa() {
    return product(layers, false, -1);
  }

  /** Π(1 − κ_att)(1 − κ_mlp) with the tighter attention bound [D]. */
  public double kappaTight() {
    return product(layers, true, -1);
  }

  private static double product(List<LayerTerms> layers, boolean tight, int sign) {
    double p = 1;
    for (LayerTerms t : layers) {
      double att = tight ? t.attention().tight() : t.attention().spec();
      p *= (1 + sign * att) * (1 + sign * t.mlp().lipschitz());
    }
    return p;
  }

  private static Certificate lipschitzReport(List<LayerTerms> layers, double[] radii, double d, double d0,
      int mp) {
    Map<String, Object> det = common(layers, radii, d, d0, mp);
    det.put("value_tight", product(layers, true, +1));
    det.put("marker", "value: spec §4 form of Lemma 6 [D]; value_tight: tighter attention bound [D]");
    String reason = "no layer norm, no attention bias; every token (prompt included) within radius " + fmt(radii[0])
        + " at layer 1, radii propagated layer by layer";
    return Certificate.holds("lipschitz", product(layers, false, +1), LIPSCHITZ_UNIT, reason, det);
  }

  private static Certificate invertibilityReport(List<LayerTerms> layers, double[] radii, boolean causal,
      int mp) {
    Map<String, Object> det = common(layers, radii, Double.NaN, Double.NaN, mp);
    det.remove("input_radius");
    det.remove("prompt_radius");
    double tight = product(layers, true, -1);
    String failTight = firstNonContraction(layers, true);
    det.put("value_tight", failTight == null ? tight : null);
    det.put("applies_tight", failTight == null && (causal || mp == 0));
    if (!causal && mp > 0) {
      return Certificate.refuses("invertibility", INVERTIBILITY_UNIT, "bidirectional attention with a "
          + "prompt: prompt-position states depend on X, so injectivity on the input positions is not implied "
          + "(spec §4 open case)", det);
    }
    String fail = firstNonContraction(layers, false);
    if (fail != null) {
      det.put("failing_branch", fail);
      return Certificate.refuses("invertibility", INVERTIBILITY_UNIT, fail + " >= 1: that residual "
          + "branch is not a contraction on its ball, so the composition is not certified injective", det);
    }
    String reason = (causal ? "causal attention, prompt first: " : "no prompt: ")
        + "every residual branch is a contraction on its ball (kappa_att, kappa_mlp < 1 in every layer)";
    return Certificate.holds("invertibility", product(layers, false, -1), INVERTIBILITY_UNIT, reason, det);
  }

  /** "layer ℓ attention branch kappa_att = …" for the first branch constant ≥ 1, or null. */
  private static String firstNonContraction(List<LayerTerms> layers, boolean tight) {
    for (LayerTerms t : layers) {
      double att = tight ? t.attention().tight() : t.attention().spec();
      if (!(att < 1)) return "layer " + t.layer() + " attention branch kappa_att = " + fmt(att);
      if (!(t.mlp().lipschitz() < 1)) return "layer " + t.layer() + " MLP branch kappa_mlp = " + fmt(t.mlp().lipschitz());
    }
    return null;
  }

  private static Map<String, Object> common(List<LayerTerms> layers, double[] radii, double d, double d0, int mp) {
    Map<String, Object> det = new LinkedHashMap<>();
    det.put("input_radius", d);
    det.put("prompt_radius", mp > 0 ? d0 : null);
    det.put("prompt_length", mp);
    det.put("radii", radii.clone());
    List<Map<String, Object>> per = new ArrayList<>();
    for (LayerTerms t : layers) per.add(t.toMap());
    det.put("layers", per);
    return det;
  }

  /** Six significant digits, for reasons a person reads (the exact values are in the details). */
  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }

  /** Why the model is outside the setting, or null. */
  static String unsupported(TransformerConfig c) {
    if (c.norm() != TransformerConfig.NormPlacement.NONE) {
      return "layer norm (" + c.norm() + ") in the blocks: the bound needs the paper's layer without layer norm";
    }
    if (c.embeddingNorm()) return "a layer norm after the embeddings: the bound needs raw input vectors";
    if (c.attentionBias()) return "attention biases: the bound covers Att without Q/K/V/O biases";
    if (c.positional() != TransformerConfig.Positional.NONE) {
      return "positional encodings (" + c.positional() + ") are added after the prompt inside the model: the token "
          + "ball of the input does not bound the first layer's tokens";
    }
    return null;
  }

  private static void checkArguments(double d, double d0, int mp) {
    if (!(d >= 0) || Double.isInfinite(d)) throw new IllegalArgumentException("--radius D must be finite and >= 0, got " + d);
    if (!(d0 >= 0) || Double.isInfinite(d0)) {
      throw new IllegalArgumentException("--prompt-radius D0 must be finite and >= 0, got " + d0);
    }
    if (mp < 0) throw new IllegalArgumentException("prompt length must be >= 0, got " + mp);
  }
}
