package org.ptlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptlab.nn.NnFixtures.config;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Sgd;
import org.ptlab.tensor.random.Rng;

/**
 * Inference without hooks computes Q, K, V as one product (PackedProjections + Attention.sdpaPacked): bit-identical
 * to the three separate products, and the fused weight never outlives a write to any of its sources.
 */
class PackedQkvTest {
  /** Hooks that change nothing but are not NONE: the model takes the separate products. */
  private static final ForwardHooks SEPARATE = new ForwardHooks() {};

  private static Tensor encode(Transformer model, ModelInput in, ForwardHooks hooks) {
    try (GradMode.Scope ng = GradMode.noGrad()) {
      return model.encode(in, hooks, ForwardMode.EVAL);
    }
  }

  private static void assertSameBits(Tensor want, Tensor got, String what) {
    assertEquals(want.numel(), got.numel(), what);
    for (int i = 0; i < want.numel(); i++) {
      assertEquals(Double.doubleToRawLongBits(want.getFlat(i)), Double.doubleToRawLongBits(got.getFlat(i)),
          what + " at " + i);
    }
  }

  private static ModelInput tokens(int batch, int length, int vocab, boolean padded) {
    Rng rng = new Rng(batch * 31L + length);
    int[][] ids = new int[batch][length];
    double[] mask = new double[batch * length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        ids[b][t] = (int) (rng.nextDouble() * vocab);
        mask[b * length + t] = padded && b == 1 && t >= length - 3 ? 0 : 1;
      }
    }
    return new ModelInput(ids, null, Tensor.of(mask, batch, length).to(DType.F32));
  }

  @Test
  void packedEqualsSeparateBitForBit() {
    // MiniLM's layer shape (packed kernel path), a tiny one (unpacked path), and d = 768 (several K blocks)
    String[][] shapes = {
      {"dModel=384", "heads=12", "headSize=32", "mlpHidden=64", "8", "32"},
      {"dModel=8", "heads=2", "headSize=4", "mlpHidden=16", "2", "5"},
      {"dModel=768", "heads=12", "headSize=64", "mlpHidden=64", "2", "40"},
      {"dModel=768", "heads=12", "headSize=64", "mlpHidden=64", "1", "9"},
    };
    for (String[] sh : shapes) {
      for (String dtype : new String[] {"f32", "f64"}) {
        TransformerConfig c = config(Presets.bert(), sh[0], sh[1], sh[2], sh[3], "layers=2", "vocabSize=50",
            "maxPositions=64", "dtype=" + dtype);
        Transformer model = NnFixtures.randomize(Transformer.create(c, new Rng(5)), 6);
        for (boolean padded : new boolean[] {false, true}) {
          ModelInput in = tokens(Integer.parseInt(sh[4]), Integer.parseInt(sh[5]), 50, padded);
          if (dtype.equals("f64")) in = new ModelInput(in.tokens(), null, in.attendMask().to(DType.F64));
          String what = String.join(",", sh) + " " + dtype + (padded ? " padded" : "");
          Tensor separate = encode(model, in, SEPARATE);
          assertSameBits(separate, encode(model, in, ForwardHooks.NONE), what);
          assertSameBits(separate, encode(model, in, ForwardHooks.NONE), what + ", second call (pre-packed weight)");
        }
      }
    }
  }

  @Test
  void fusedWeightIsRebuiltAfterEveryWrite() {
    TransformerConfig c = config(Presets.bert(), "dModel=64", "heads=4", "headSize=16", "mlpHidden=32", "layers=1",
        "vocabSize=50", "maxPositions=64");
    Transformer model = NnFixtures.randomize(Transformer.create(c, new Rng(5)), 6);
    ModelInput in = tokens(4, 24, 50, true);
    ParameterSet p = model.parameters();
    String self = "encoder.layer.0.attention.self.";
    Tensor wq = p.get(self + "query.weight");
    Tensor bv = p.get(self + "value.bias");
    Tensor wk = p.get(self + "key.weight");
    Tensor before = encode(model, in, ForwardHooks.NONE);
    assertSameBits(encode(model, in, SEPARATE), before, "initial");
    // copyFrom
    wq.copyFrom(Tensor.randn(new Rng(8), wq.dtype(), 0.2, wq.shape()));
    Tensor afterCopy = encode(model, in, ForwardHooks.NONE);
    assertSameBits(encode(model, in, SEPARATE), afterCopy, "after copyFrom");
    assertFalse(Double.doubleToRawLongBits(before.getFlat(0)) == Double.doubleToRawLongBits(afterCopy.getFlat(0)));
    // setFlat on a bias
    bv.setFlat(3, bv.getFlat(3) + 1);
    assertSameBits(encode(model, in, SEPARATE), encode(model, in, ForwardHooks.NONE), "after setFlat");
    // an optimizer step on the key weight (trained, then evaluated without grad)
    wk.requiresGrad(true);
    Tensor loss = model.encode(in, ForwardHooks.NONE, ForwardMode.EVAL).square().sum(); // separate path: a backward
    loss.backward();
    new Sgd(List.of(wk), 0.1, 0).step();
    assertSameBits(encode(model, in, SEPARATE), encode(model, in, ForwardHooks.NONE), "after an optimizer step");
  }

  @Test
  void cacheIsKeptWhileNothingChanges() {
    TransformerConfig c = config(Presets.bert(), "dModel=16", "heads=2", "headSize=8", "mlpHidden=32", "layers=1",
        "vocabSize=50", "maxPositions=64");
    Transformer model = Transformer.create(c, new Rng(5));
    ParameterSet p = model.parameters();
    Linear q = new Linear(p, "extra.query", 16, 16, true);
    PackedProjections packed = new PackedProjections(q, q, q);
    Tensor[] first = packed.weightAndBias();
    assertSame(first[0], packed.weightAndBias()[0]);
    q.weight().setFlat(0, 2.5);
    Tensor[] second = packed.weightAndBias();
    assertNotSame(first[0], second[0]);
    assertEquals(2.5, second[0].getFlat(0));
    assertEquals(2.5, second[0].getFlat(16 * 16));
    assertTrue(second[1].numel() == 48);
  }
}
