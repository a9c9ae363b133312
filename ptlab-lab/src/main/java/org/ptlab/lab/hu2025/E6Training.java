package org.ptlab.lab.hu2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.UniversalConstruction;
import org.ptlab.theory.hu2025.UniversalResult;

/**
 * E6c: can gradient descent find the code? On the constructed model of a whole family, one member (drawn from the
 * task seed) is the target; a prompt drawn uniformly from [0, 1)^{L_p×d} is trained with full-batch Adam on that
 * member's grid data (MSE at the input positions). Next to it: the constructed prompt P_f̄ (loss 0). What to expect:
 * FF_1 quantizes the prompt, so the loss is piecewise constant in P and its gradient vanishes except on the
 * quantizer's ramps (width η = δ/1024) — training can only succeed by luck of the draw (probability 1/|F̄| that the
 * random prompt already quantizes to P_f̄). Measured, not assumed: the gradient norm at the start is reported.
 */
final class E6Training {
  private E6Training() {}

  static RunOutput run(RunContext ctx) {
    QuantizedFamily fam = E6Runs.family(ctx);
    UniversalResult r = UniversalConstruction.family(fam);
    Transformer model = r.model();
    int member = E6Runs.trialRng(ctx, 0).nextInt(r.prompts().size());
    int[][] table = r.build().tables().get(member);
    int cells = fam.cells();
    double[] x = new double[cells * fam.entries()];
    double[] y = new double[x.length];
    for (int c = 0; c < cells; c++) {
      System.arraycopy(fam.cellPoint(c), 0, x, c * fam.entries(), fam.entries());
      for (int e = 0; e < fam.entries(); e++) y[c * fam.entries() + e] = table[c][e] * fam.deltaOut();
    }
    Tensor xs = Tensor.of(x, cells, fam.L(), fam.d()); // [M, L, d]
    Tensor ys = Tensor.of(y, cells, fam.L(), fam.d());
    Rng rng = E6Runs.trialRng(ctx, 1);
    Tensor prompt = Tensor.rand(rng, DType.F64, 0, 1, fam.promptLength(), fam.d()).requiresGrad(true); // [L_p, d]
    Adam opt = new Adam(List.of(prompt), AdamConfig.adam(ctx.doubleParam("lr")));
    int steps = ctx.intParam("steps");
    double initial = Double.NaN;
    double initialGrad = Double.NaN;
    int zeroGradSteps = 0;
    for (int step = 0; step < steps; step++) {
      Tensor loss = forward(model, prompt, xs).mse(ys);
      if (step == 0) initial = loss.item();
      loss.backward();
      double g = maxAbs(prompt.grad().toDoubleArray());
      if (step == 0) initialGrad = g;
      if (g == 0) zeroGradSteps++;
      opt.step();
      opt.zeroGrad();
    }
    double finalMse;
    double worst;
    double constructed;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor out = forward(model, prompt, xs);
      finalMse = out.mse(ys).item();
      worst = maxAbs(out.sub(ys).toDoubleArray());
      constructed = forward(model, r.prompts().get(member), xs).mse(ys).item();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("member", member);
    m.put("initial_mse", initial);
    m.put("final_mse", finalMse);
    m.put("constructed_mse", constructed);
    m.put("initial_grad_max", initialGrad);
    m.put("zero_grad_fraction", zeroGradSteps / (double) steps);
    m.put("final_max_error", worst);
    m.put("found", worst < fam.deltaOut() / 2 ? 1 : 0); // rounds to the target member on every cell
    m.put("chance", 1.0 / r.prompts().size());
    return RunOutput.of(m);
  }

  private static Tensor forward(Transformer model, Tensor prompt, Tensor xs) {
    ForwardHooks hooks = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }
    };
    return model.forward(ModelInput.ofVectors(xs), hooks, ForwardMode.EVAL); // [M, L, d]
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double a : v) m = Math.max(m, Math.abs(a));
    return m;
  }
}
