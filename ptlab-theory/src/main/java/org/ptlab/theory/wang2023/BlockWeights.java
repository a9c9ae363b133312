package org.ptlab.theory.wang2023;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.theory.SpectralNorms;

/**
 * The matrices of one block that the bounds of spec §4 speak about, read (float64 copies) from a
 * {@link Transformer}'s parameters under their Hugging Face names.
 *
 * <p>Tokens are rows here (PTLab's convention; the paper writes them as columns). With W_q, W_k, W_v [h·s, d] and
 * W_o [d, h·s] in PyTorch's [out, in] layout and head h owning rows (columns of W_o) h·s … h·s + s − 1:
 * <ul>
 *   <li>V_h = W_o^h W_v^h [d, d]: the head's value-output map, out_i = Σ_h V_h Σ_j a^h_ij x_j;
 *   <li>A_h = scale · (W_q^h)ᵀ W_k^h [d, d]: the bilinear score, s^h_ij = x_iᵀ A_h x_j (query i, key j);
 *   <li>W1 [r, d], b1 [r], W2 [d, r], b2 [d]: the MLP branch g(z) = W2 σ(W1 z + b1) + b2.
 * </ul>
 * Attention biases, when the model has them, are not part of these matrices; {@link LipschitzInvertibilityCertificate}
 * refuses such models.
 */
public final class BlockWeights {
  private final int layer;
  private final List<DMatrixRMaj> v = new ArrayList<>();
  private final List<DMatrixRMaj> a = new ArrayList<>();
  private final DMatrixRMaj w1;
  private final DMatrixRMaj w2;
  private final double[] b1;
  private final double[] b2;
  private final TransformerConfig.Activation activation;

  private BlockWeights(Transformer model, int layer) {
    TransformerConfig c = model.config();
    if (layer < 0 || layer >= c.layers()) {
      throw new IllegalArgumentException("layer " + layer + " out of range [0, " + c.layers() + ")");
    }
    this.layer = layer;
    this.activation = c.activation();
    String p = "encoder.layer." + layer + ".";
    DMatrixRMaj wq = weight(model, p + "attention.self.query.weight");
    DMatrixRMaj wk = weight(model, p + "attention.self.key.weight");
    DMatrixRMaj wv = weight(model, p + "attention.self.value.weight");
    DMatrixRMaj wo = weight(model, p + "attention.output.dense.weight");
    int s = c.headSize();
    int d = c.dModel();
    for (int h = 0; h < c.heads(); h++) {
      DMatrixRMaj qh = CommonOps_DDRM.extract(wq, h * s, (h + 1) * s, 0, d); // [s, d]
      DMatrixRMaj kh = CommonOps_DDRM.extract(wk, h * s, (h + 1) * s, 0, d);
      DMatrixRMaj vh = CommonOps_DDRM.extract(wv, h * s, (h + 1) * s, 0, d);
      DMatrixRMaj oh = CommonOps_DDRM.extract(wo, 0, d, h * s, (h + 1) * s); // [d, s]
      DMatrixRMaj ah = new DMatrixRMaj(d, d);
      CommonOps_DDRM.multTransA(c.scoreScale(), qh, kh, ah); // scale · W_qᵀ W_k
      DMatrixRMaj valueOut = new DMatrixRMaj(d, d);
      CommonOps_DDRM.mult(oh, vh, valueOut);
      a.add(ah);
      v.add(valueOut);
    }
    this.w1 = weight(model, p + "intermediate.dense.weight");
    this.w2 = weight(model, p + "output.dense.weight");
    this.b1 = model.parameters().get(p + "intermediate.dense.bias").toDoubleArray();
    this.b2 = model.parameters().get(p + "output.dense.bias").toDoubleArray();
  }

  /** Block {@code layer} of {@code model}. */
  public static BlockWeights of(Transformer model, int layer) {
    return new BlockWeights(model, layer);
  }

  /** Every block of {@code model}, in order. */
  public static List<BlockWeights> all(Transformer model) {
    List<BlockWeights> out = new ArrayList<>();
    for (int l = 0; l < model.config().layers(); l++) out.add(of(model, l));
    return out;
  }

  private static DMatrixRMaj weight(Transformer model, String name) {
    return SpectralNorms.matrix(model.parameters().get(name));
  }

  public int layer() {
    return layer;
  }

  public int heads() {
    return v.size();
  }

  /** V_h = W_o^h W_v^h [d, d] (a copy). */
  public DMatrixRMaj valueOutput(int head) {
    return v.get(head).copy();
  }

  /** A_h = scale·(W_q^h)ᵀ W_k^h [d, d] (a copy). */
  public DMatrixRMaj score(int head) {
    return a.get(head).copy();
  }

  /** W1 [r, d] (a copy). */
  public DMatrixRMaj w1() {
    return w1.copy();
  }

  /** W2 [d, r] (a copy). */
  public DMatrixRMaj w2() {
    return w2.copy();
  }

  /** ‖b1‖₂. */
  public double normB1() {
    return norm(b1);
  }

  /** ‖b2‖₂. */
  public double normB2() {
    return norm(b2);
  }

  public TransformerConfig.Activation activation() {
    return activation;
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double e : x) s += e * e;
    return Math.sqrt(s);
  }
}
