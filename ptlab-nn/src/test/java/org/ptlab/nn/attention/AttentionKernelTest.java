package org.ptlab.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/** The plug-in point's contract: EXACT is softmax(scale·QKᵀ + mask)V per head, and a model calls its kernel. */
class AttentionKernelTest {
  /** The definition, one (batch, head, query) at a time in float64, with the interface's mask and causal rules. */
  private static double[] reference(Tensor q, Tensor k, Tensor v, int heads, double scale, double[] mask,
      boolean causal) {
    int b = q.dim(0);
    int tq = q.dim(1);
    int tk = k.dim(1);
    int s = q.dim(2) / heads;
    int sv = v.dim(2) / heads;
    double[] out = new double[b * tq * heads * sv];
    for (int n = 0; n < b; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < tq; i++) {
          double[] w = new double[tk];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < tk; j++) {
            boolean visible = (mask == null || mask[n * tk + j] != 0) && (!causal || j <= i + (tk - tq));
            double dot = 0;
            for (int c = 0; c < s; c++) dot += q.get(n, i, h * s + c) * k.get(n, j, h * s + c);
            w[j] = visible ? scale * dot : Double.NEGATIVE_INFINITY;
            max = Math.max(max, w[j]);
          }
          double z = 0;
          for (int j = 0; j < tk; j++) z += w[j] = Math.exp(w[j] - max);
          for (int c = 0; c < sv; c++) {
            double acc = 0;
            for (int j = 0; j < tk; j++) acc += w[j] / z * v.get(n, j, h * sv + c);
            out[((n * tq + i) * heads + h) * sv + c] = acc;
          }
        }
      }
    }
    return out;
  }

  @Test
  void exactIsTheDefinitionWithMaskAndVisiblePrefix() {
    Rng rng = new Rng(11);
    int heads = 2;
    Tensor q = Tensor.randn(rng, DType.F64, 1.0, 2, 3, 8);
    Tensor k = Tensor.randn(rng, DType.F64, 1.0, 2, 5, 8); // Tk − Tq = 2 prefix keys visible to every query
    Tensor v = Tensor.randn(rng, DType.F64, 1.0, 2, 5, 6);
    double[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    for (boolean causal : new boolean[] {false, true}) {
      Tensor got = AttentionKernel.EXACT.attend(q, k, v, heads, 0.5, Tensor.of(mask, 2, 5), causal);
      assertArrayEquals(reference(q, k, v, heads, 0.5, mask, causal), got.toDoubleArray(), 1e-12, "causal " + causal);
    }
    assertEquals("exact", AttentionKernel.EXACT.name());
  }

  @Test
  void aModelCallsItsKernelOncePerLayerAndAnEquivalentKernelChangesNoBit() {
    TransformerConfig c = Presets.of("paper").toBuilder().layers(3).build();
    Transformer model = Transformer.create(c, new Rng(5));
    Tensor x = Tensor.randn(new Rng(6), DType.F64, 1.0, 2, 4, c.dModel());
    double[] plain = model.encode(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL).toDoubleArray();
    AtomicInteger calls = new AtomicInteger();
    model.setAttentionKernel(new AttentionKernel() {
      @Override
      public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor attendMask, boolean causal) {
        calls.incrementAndGet();
        return EXACT.attend(q, k, v, heads, scale, attendMask, causal);
      }

      @Override
      public String name() {
        return "counting";
      }
    });
    double[] counted = model.encode(ModelInput.ofVectors(x), ForwardHooks.NONE, ForwardMode.EVAL).toDoubleArray();
    assertEquals(3, calls.get());
    assertArrayEquals(plain, counted, 0.0);
  }
}
