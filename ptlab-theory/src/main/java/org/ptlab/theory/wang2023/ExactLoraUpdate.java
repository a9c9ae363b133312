package org.ptlab.theory.wang2023;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.Certificate;
import org.ptlab.tuning.AdapterFiles;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.lora.Lora;
import org.ptlab.tuning.lora.LoraConfig;

/**
 * A low-rank update of W2 alone fits the whole dataset exactly (spec wang2023.md §2.2 "contrast with weight
 * tuning" and §3 "LoRA upper bound") [D]. Without a prompt, the layer's output at position j is
 * τ_j = z_j + W2·h_j + β2 with z_j = x_j + Att(x_j, X) and h_j = ReLU(W1·z_j + β1), neither of which depends on
 * W2. So W2 + ΔW2 fits every target iff ΔW2·H = R, with H = [h_j] [r][K] and R = [y_j − τ_j] [d][K] over all K
 * input positions. ΔW2 = R·H⁺ (EJML pseudo-inverse) solves it whenever H has full column rank (K ≤ r, generic), and
 * more generally whenever R's rows lie in H's row space; rank ΔW2 ≤ rank R, so positions already fitted cost no
 * rank. The residual ‖ΔW2·H − R‖_F is computed, never assumed.
 *
 * <p>As LoRA on {@code mlp_out} ({@code encoder.layer.0.output.dense}, PTLab's and PEFT's [out, in] layout):
 * with the SVD ΔW2 = U Σ Vᵀ truncated at its numerical rank k (σ_i > 1e-12·σ_1), lora_B = U_k Σ_k [d, k],
 * lora_A = V_kᵀ [k, r], α = k so scaling α/k = 1 and scaling·B·A = ΔW2 up to σ_{k+1} (float64 rounding).
 * Trainable parameters: k(d + r). {@link #write} saves it with PTLab's own adapter writer ({@link AdapterFiles}).
 *
 * <p>Does not apply: not the paper's layer ({@link PaperLayer#whyNot}; any number of heads is fine), or a residual
 * above 1e-9·(1 + ‖R‖_F) (positions whose hidden activations are linearly dependent with conflicting targets).
 *
 * @param deltaW2 ΔW2 [d][r] (null when it does not apply)
 * @param loraA lora_A [k][r]
 * @param loraB lora_B [d][k]
 * @param rank k
 * @param certificate {@code exact-lora-update}: value k, details (parameters, residual, module, α)
 */
public record ExactLoraUpdate(double[][] deltaW2, double[][] loraA, double[][] loraB, int rank,
    Certificate certificate) {
  public static final String NAME = "exact-lora-update";
  public static final String UNIT = "LoRA rank on mlp_out";

  /** The update for {@code model} and the dataset [n][m][d] → [n][m][d]. */
  public static ExactLoraUpdate fit(Transformer model, double[][][] inputs, double[][][] targets) {
    List<String> why = PaperLayer.whyNot(model.config());
    if (!why.isEmpty()) return new ExactLoraUpdate(null, null, null, 0, Certificate.refuses(NAME, UNIT, String.join("; ", why), Map.of()));
    PaperLayer layer = PaperLayer.of(model);
    ArrayData.check(inputs, targets, layer.d());
    List<double[]> hs = new ArrayList<>();
    List<double[]> rs = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      double[][] z = layer.preMlp(new double[0][], inputs[i]);
      for (int j = 0; j < z.length; j++) {
        hs.add(layer.hidden(z[j]));
        rs.add(LinAlg.sub(targets[i][j], layer.mlp(z[j]))); // y − τ, the residual target
      }
    }
    DMatrixRMaj h = LinAlg.ejml(LinAlg.columns(hs.toArray(double[][]::new), layer.r())); // [r][K]
    DMatrixRMaj r = LinAlg.ejml(LinAlg.columns(rs.toArray(double[][]::new), layer.d())); // [d][K]
    DMatrixRMaj pinv = new DMatrixRMaj(h.numCols, h.numRows);
    CommonOps_DDRM.pinv(h, pinv); // H⁺ [K][r]
    DMatrixRMaj delta = CommonOps_DDRM.mult(r, pinv, null); // [d][r]
    double residual = org.ejml.dense.row.NormOps_DDRM.normF(CommonOps_DDRM.subtract(CommonOps_DDRM.mult(delta, h, null), r, null));
    double rNorm = org.ejml.dense.row.NormOps_DDRM.normF(r);
    return factor(LinAlg.toArray(delta), residual, rNorm, h, layer);
  }

  private static ExactLoraUpdate factor(double[][] delta, double residual, double rNorm, DMatrixRMaj h, PaperLayer layer) {
    int d = layer.d();
    int width = layer.r();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("module", PaperLayer.mlpOutModule());
    details.put("positions", h.numCols);
    details.put("hidden_rank", org.ejml.dense.row.SingularOps_DDRM.rank(h.copy()));
    details.put("residual_frobenius", residual);
    if (!(residual <= 1e-9 * (1 + rNorm))) {
      return new ExactLoraUpdate(null, null, null, 0, Certificate.refuses(NAME, UNIT, String.format(Locale.ROOT,
          "ΔW2·H = R has no solution: residual %.3g (hidden activations at the %d positions have rank %s)", residual,
          h.numCols, details.get("hidden_rank")), details));
    }
    LinAlg.Svd svd = LinAlg.Svd.of(delta);
    int k = svd.sigma().length == 0 || svd.sigma()[0] == 0 ? 0 : LinAlg.countAbove(svd.sigma(), 1e-12 * svd.sigma()[0]);
    double[][] b = new double[d][k];
    double[][] a = new double[k][width];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < d; i++) b[i][c] = svd.u()[i][c] * svd.sigma()[c];
      for (int j = 0; j < width; j++) a[c][j] = svd.v()[j][c];
    }
    details.put("lora_alpha", (double) k);
    details.put("scaling", 1.0);
    details.put("parameters", (long) k * (d + width));
    details.put("truncated_singular_value", k < svd.sigma().length ? svd.sigma()[k] : 0.0);
    String reason = String.format(Locale.ROOT, "a rank-%d LoRA on mlp_out (%d parameters) fits every position exactly "
        + "(residual %.3g)", k, (long) k * (d + width), residual);
    return new ExactLoraUpdate(delta, a, b, k, new Certificate(NAME, true, k, UNIT, reason, List.of(), details));
  }

  /** lora_alpha: k, so that PEFT's scaling α/r is 1. */
  public double alpha() {
    return rank;
  }

  /** k(d + r): LoRA's trainable parameters. */
  public long parameters() {
    return rank == 0 ? 0 : (long) rank * (loraB.length + loraA[0].length);
  }

  /**
   * A PTLab {@link Lora} on {@code model}'s mlp_out holding these factors (rank ≥ 1; float64 models). The model
   * is not changed; attach it with {@code TunedModel.of(model, lora)}.
   */
  public Lora toLora(Transformer model) {
    if (rank < 1) throw new IllegalStateException("exact LoRA: no update (rank 0): " + certificate.reason());
    Lora lora = Lora.create(new LoraConfig(rank, alpha(), 0.0, List.of("mlp_out"), false), model, new Rng(0));
    String module = PaperLayer.mlpOutModule();
    try (GradMode.Scope s = GradMode.noGrad()) {
      lora.trainable().get(Lora.key(module, "lora_A")).copyFrom(tensor(loraA, model));
      lora.trainable().get(Lora.key(module, "lora_B")).copyFrom(tensor(loraB, model));
    }
    return lora;
  }

  /**
   * Writes the adapter folder ({@code adapter_config.json}, {@code adapter_model.safetensors}) with PTLab's own
   * writer; {@code baseModel} (the model folder or preset name) becomes PEFT's {@code base_model_name_or_path},
   * {@code provenance} goes under "ptlab". Attaching freezes {@code model}'s weights (TunedModel.of).
   */
  public void write(Transformer model, Path dir, String baseModel, ObjectNode provenance) throws IOException {
    AdapterFiles.save(TunedModel.of(model, toLora(model)), dir, baseModel, provenance);
  }

  private static Tensor tensor(double[][] m, Transformer model) {
    double[] flat = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
    Tensor t = Tensor.of(flat, m.length, m[0].length);
    return t.dtype() == model.config().dtype() ? t : t.to(model.config().dtype());
  }
}
