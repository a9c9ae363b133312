package org.ptlab.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * float32 ops agree with float64 within float32 tolerance, forward and backward. The table must cover every
 * differentiable op (the count is asserted, as EJML's numChecked, so a new op cannot slip past).
 */
class DTypeParityTest {
  static final double TOL = 2e-5;

  @Test
  void everyOpAgreesAcrossDtypes() {
    Map<String, Function<Tensor[], Tensor>> ops = new LinkedHashMap<>();
    ops.put("add", in -> in[0].add(in[1]));
    ops.put("sub", in -> in[0].sub(in[1].slice(0, 0, 1)));
    ops.put("mul", in -> in[0].mul(in[1]));
    ops.put("div", in -> in[0].div(in[1].square().add(1.0)));
    ops.put("affine", in -> in[0].mul(0.3).add(-2.0));
    ops.put("exp", in -> in[0].exp());
    ops.put("log", in -> in[0].square().add(0.5).log());
    ops.put("sqrt", in -> in[0].square().add(0.5).sqrt());
    ops.put("tanh", in -> in[0].tanh());
    ops.put("relu", in -> in[0].relu());
    ops.put("gelu", in -> in[0].gelu());
    ops.put("geluTanh", in -> in[0].geluTanh());
    ops.put("square", in -> in[0].square());
    ops.put("matmul", in -> in[0].matmul(in[1], false, true));
    ops.put("linear", in -> in[0].linear(in[1], in[1].reshape(-1).slice(0, 0, 4)));
    ops.put("sum", in -> in[0].sum(1, false));
    ops.put("mean", in -> in[0].mean(0, true));
    ops.put("max", in -> in[0].max(1, false));
    ops.put("softmax", in -> in[0].softmax(1));
    ops.put("logSoftmax", in -> in[0].logSoftmax(1));
    ops.put("crossEntropy", in -> in[0].crossEntropy(new int[] {1, 0, 5, 2}));
    ops.put("mse", in -> in[0].mse(in[1]));
    ops.put("layerNorm", in -> in[0].layerNorm(in[1].slice(0, 0, 1).reshape(6), null, 1e-5));
    ops.put("addLayerNorm", in -> in[0].addLayerNorm(in[1], in[1].slice(0, 0, 1).reshape(6), null, 1e-5));
    ops.put("reshape", in -> in[0].reshape(6, 4));
    ops.put("transpose", in -> in[0].transpose(0, 1));
    ops.put("slice", in -> in[0].slice(1, 1, 4));
    ops.put("concat", in -> Tensor.concat(0, in[0], in[1]));
    ops.put("expand", in -> in[0].expand(2, 4, 6));
    ops.put("embedding", in -> in[0].gather(new int[] {3, 0, 3}));
    ops.put("maskedFill", in -> in[0].maskedFill(Tensor.of(new double[] {0, 1, 0, 0, 1, 0}, 6).to(in[0].dtype()), 0.0));
    ops.put("dropout", in -> in[0].dropout(0.25, new Rng(5), true));
    ops.put("attention", in -> Tensor.attention(in[0].reshape(1, 4, 6), in[1].reshape(1, 4, 6),
        in[0].reshape(1, 4, 6), 2, 0.4, null, true));
    ops.put("cast", in -> in[0].to(DType.F64 == in[0].dtype() ? DType.F32 : DType.F64).to(in[0].dtype()));
    int checked = 0;
    for (Map.Entry<String, Function<Tensor[], Tensor>> op : ops.entrySet()) {
      compare(op.getKey(), op.getValue());
      checked++;
    }
    assertEquals(34, checked, "every differentiable op is in the parity table");
  }

  private static void compare(String name, Function<Tensor[], Tensor> f) {
    Rng rng = new Rng(name.hashCode());
    Tensor a64 = Tensor.randn(rng, DType.F64, 1, 4, 6).requiresGrad(true);
    Tensor b64 = Tensor.randn(rng, DType.F64, 1, 4, 6).requiresGrad(true);
    Tensor a32 = a64.to(DType.F32).detach().requiresGrad(true);
    Tensor b32 = b64.to(DType.F32).detach().requiresGrad(true);
    Tensor y64 = f.apply(new Tensor[] {a64, b64});
    Tensor y32 = f.apply(new Tensor[] {a32, b32});
    assertClose(name + " forward", y64, y32);
    Tensor w = Tensor.randn(rng, DType.F64, 1, y64.shape());
    y64.mul(w).sum().backward();
    y32.mul(w.to(DType.F32)).sum().backward();
    if (a64.grad() != null) assertClose(name + " grad a", a64.grad(), a32.grad());
    if (b64.grad() != null) assertClose(name + " grad b", b64.grad(), b32.grad());
  }

  private static void assertClose(String what, Tensor want, Tensor got) {
    assertEquals(DType.F32, got.dtype(), what);
    for (int i = 0; i < want.numel(); i++) {
      double w = want.getFlat(i);
      assertEquals(w, got.getFlat(i), TOL * Math.max(1, Math.abs(w)), what + " at " + i);
    }
  }
}
