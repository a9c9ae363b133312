package org.ptlab.theory.wang2023;

import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;

/**
 * Hardmax attention, the idealised attention of Yun et al.'s and Wang et al.'s meta-transformer (spec wang2023.md
 * §2.1 step 3) as an {@link AttentionKernel} named "hardmax": each query attends only to the keys of largest score
 * scale·q·k, ties split evenly. Shapes as in {@link AttentionKernel}. Forward only, no gradient (it is for
 * constructions, like {@code Tensor.hardmax}); computed in float64.
 */
public final class HardmaxAttentionKernel implements AttentionKernel {
  public static final HardmaxAttentionKernel INSTANCE = new HardmaxAttentionKernel();

  private HardmaxAttentionKernel() {}

  @Override
  public String name() {
    return "hardmax";
  }

  @Override
  public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
    int b = q.dim(0);
    int tq = q.dim(1);
    int tk = k.dim(1);
    int s = q.dim(2) / heads;
    int sv = v.dim(2) / heads;
    double[] qa = q.toDoubleArray();
    double[] ka = k.toDoubleArray();
    double[] va = v.toDoubleArray();
    double[] mask = attendMask == null ? null : attendMask.toDoubleArray();
    double[] out = new double[b * tq * heads * sv];
    for (int n = 0; n < b; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < tq; i++) {
          int visible = causal ? Math.min(tk, i + (tk - tq) + 1) : tk;
          double best = Double.NEGATIVE_INFINITY;
          double[] score = new double[visible];
          for (int j = 0; j < visible; j++) {
            boolean on = mask == null || mask[n * tk + j] != 0;
            double sc = 0;
            for (int c = 0; c < s; c++) sc += qa[((n * tq + i) * heads + h) * s + c] * ka[((n * tk + j) * heads + h) * s + c];
            score[j] = on ? scale * sc : Double.NEGATIVE_INFINITY;
            best = Math.max(best, score[j]);
          }
          int ties = 0;
          for (int j = 0; j < visible; j++) if (score[j] == best) ties++;
          int o = ((n * tq + i) * heads + h) * sv;
          for (int j = 0; j < visible; j++) {
            if (score[j] != best) continue;
            for (int c = 0; c < sv; c++) out[o + c] += va[((n * tk + j) * heads + h) * sv + c] / ties;
          }
        }
      }
    }
    Tensor y = Tensor.of(out, b, tq, heads * sv);
    return q.dtype() == y.dtype() ? y : y.to(q.dtype());
  }
}
