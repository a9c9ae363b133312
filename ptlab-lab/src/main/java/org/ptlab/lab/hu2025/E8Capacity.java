package org.ptlab.lab.hu2025;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptlab.lab.RunContext;
import org.ptlab.lab.RunOutput;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Presets;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.optim.Adam;
import org.ptlab.tensor.optim.AdamConfig;
import org.ptlab.tensor.random.Rng;

/**
 * E8's run: the memorization capacity of prompt tuning found by training (Hu et al. §2, Thm 2.3 is about what a
 * constructed model can memorize; this measures what a random one does). On a frozen random {@code paper}-preset
 * layer (float64), a pool of n_max random sequences (entries N(0, 1)) with random labels is drawn from the task
 * seed (each label is one of K targets the model reaches with a 1-token prompt: uniform random targets are mostly
 * out of a random layer's reach, which measured 0 capacity at every m_p); the capacity is the largest n such that full-batch Adam on the prompt alone fits the
 * first n examples to tolerance (every read entry within tol). Search: n = 1, 2, 4, … until a fit fails, then
 * bisection; this assumes "fits" is monotone in n (true for the best prompt on nested data, not always for Adam).
 * After each fit the prompt is rounded to the δ_P grid in [−clip, clip] and checked again: the counting bound holds
 * only for that quantized prompt (a real-valued prompt has infinitely many values and admits no counting bound).
 */
final class E8Capacity {
  /** Std of the anchor prompts whose outputs are the labels' targets. */
  static final double ANCHOR_STD = 1;

  private E8Capacity() {}

  /** One fit: did the trained prompt, and its quantized copy, reach tolerance; how far it got. */
  record Fit(int n, boolean fits, boolean quantizedFits, int steps, double maxError, double quantizedMaxError,
      double maxPromptEntry) {
    /** As a JSON-able map (the run's artifact "tried"). */
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", n);
      m.put("fits", fits);
      m.put("quantized_fits", quantizedFits);
      m.put("steps", steps);
      m.put("max_error", maxError);
      m.put("quantized_max_error", quantizedMaxError);
      return m;
    }
  }

  static RunOutput run(RunContext ctx) {
    E8Point p = E8Point.of(ctx);
    Rng task = ctx.taskRng();
    Transformer model = Transformer.create(Presets.paper(p.d(), p.mlp()), task); // the same for every m_p of a repeat
    Data data = data(p, model, task);
    List<Fit> tried = search(p, ctx.seed(), model, data.x(), data.y());
    return output(p, data, tried);
  }

  /**
   * The pool: inputs [n_max, L, d] with N(0, 1) entries; each example gets a uniform random label c ∈ {1..K} and
   * its target is what the model outputs with the 1-token anchor prompt a_c, so every example alone is realizable.
   * {@code bits[n]} is what the first n labels are worth to the counting bound: a fixed output is within tol of at
   * most m_i of example i's K candidates (m_i = the largest number of candidates within 2·tol of one candidate, max
   * norm), so it fits example i with probability ≤ m_i/K, i.e. log2(K/m_i) bits (log2 K when all are separated).
   */
  record Data(double[] x, double[] y, double[] bits) {}

  static Data data(E8Point p, Transformer model, Rng task) {
    int k = p.labels();
    int entries = p.nMax() * p.L() * p.d();
    double[] x = new double[entries];
    for (int i = 0; i < entries; i++) x[i] = task.nextGaussian();
    Tensor xs = Tensor.of(x, p.nMax(), p.L(), p.d()); // [n_max, L, d]
    double[][] candidates = new double[k][];
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (int c = 0; c < k; c++) {
        Tensor anchor = Tensor.randn(task, DType.F64, ANCHOR_STD, 1, p.d()); // [1, d]
        candidates[c] = forward(model, anchor, xs).toDoubleArray(); // [n_max, L, d]
      }
    }
    double[] y = new double[entries];
    double[] bits = new double[p.nMax() + 1];
    int per = p.L() * p.d();
    for (int i = 0; i < p.nMax(); i++) {
      int label = task.nextInt(k);
      System.arraycopy(candidates[label], i * per, y, i * per, per);
      bits[i + 1] = bits[i] + Math.log((double) k / crowd(p, candidates, i)) / Math.log(2);
    }
    return new Data(x, y, bits);
  }

  /** m_i: the largest number of example i's candidates within 2·tol (max norm, read entries) of one of them. */
  private static int crowd(E8Point p, double[][] candidates, int i) {
    int per = p.L() * p.d();
    int from = i * per + (p.readout().equals("all") ? 0 : (p.L() - 1) * p.d());
    int to = (i + 1) * per;
    int worst = 1;
    for (double[] a : candidates) {
      int near = 0;
      for (double[] b : candidates) {
        double dist = 0;
        for (int e = from; e < to; e++) dist = Math.max(dist, Math.abs(a[e] - b[e]));
        if (dist <= 2 * p.tol()) near++;
      }
      worst = Math.max(worst, near);
    }
    return worst;
  }

  /** Doubling then bisection over n; every fit tried, in order. */
  private static List<Fit> search(E8Point p, long seed, Transformer model, double[] x, double[] y) {
    List<Fit> tried = new ArrayList<>();
    int good = 0;
    int bad = -1;
    for (int n = 1; ; n = Math.min(2 * n, p.nMax())) {
      Fit f = fit(p, seed, model, x, y, n);
      tried.add(f);
      if (!f.fits()) {
        bad = n;
        break;
      }
      good = n;
      if (n == p.nMax()) break;
    }
    while (bad > good + 1) {
      int mid = (good + bad) >>> 1;
      Fit f = fit(p, seed, model, x, y, mid);
      tried.add(f);
      if (f.fits()) good = mid;
      else bad = mid;
    }
    return tried;
  }

  /** Up to {@code restarts} fits from different random prompts: the first that reaches tolerance, else the best. */
  static Fit fit(E8Point p, long seed, Transformer model, double[] x, double[] y, int n) {
    Fit best = null;
    for (int r = 0; r < p.restarts(); r++) {
      Fit f = fitOnce(p, new Rng(seed + 7919L * n + 104729L * r), model, x, y, n); // init depends on (run, n, r) only
      if (best == null || f.maxError() < best.maxError()) best = f;
      if (f.fits()) break;
    }
    return best;
  }

  /** Full-batch Adam on the prompt for the first n examples; stops as soon as every read entry is within tol. */
  private static Fit fitOnce(E8Point p, Rng rng, Transformer model, double[] x, double[] y, int n) {
    int len = n * p.L() * p.d();
    Tensor xs = Tensor.of(java.util.Arrays.copyOf(x, len), n, p.L(), p.d()); // [n, L, d]
    Tensor ys = Tensor.of(java.util.Arrays.copyOf(y, len), n, p.L(), p.d());
    Tensor mask = mask(p, n); // [n, L, d]: 1 on read entries
    double count = n * (double) p.entriesPerExample();
    Tensor prompt = Tensor.randn(rng, DType.F64, 1.0, p.promptLength(), p.d()).requiresGrad(true); // [m_p, d]
    Adam opt = new Adam(List.of(prompt), AdamConfig.adam(p.lr()));
    double err = Double.POSITIVE_INFINITY;
    int step = 0;
    for (; step < p.steps(); step++) {
      Tensor diff = forward(model, prompt, xs).sub(ys).mul(mask); // [n, L, d]
      err = maxAbs(diff.toDoubleArray());
      if (err <= p.tol()) break;
      diff.square().sum().mul(1 / count).backward(); // MSE over the read entries
      opt.step();
      opt.zeroGrad();
    }
    double[] q = quantize(prompt.toDoubleArray(), p.deltaP(), p.clip());
    double qErr;
    try (GradMode.Scope s = GradMode.noGrad()) {
      qErr = maxAbs(forward(model, Tensor.of(q, p.promptLength(), p.d()), xs).sub(ys).mul(mask).toDoubleArray());
    }
    return new Fit(n, err <= p.tol(), qErr <= p.tol(), step, err, qErr, maxAbs(prompt.toDoubleArray()));
  }

  private static Tensor mask(E8Point p, int n) {
    double[] m = new double[n * p.L() * p.d()];
    for (int i = 0; i < n; i++) {
      for (int t = p.readout().equals("all") ? 0 : p.L() - 1; t < p.L(); t++) {
        for (int c = 0; c < p.d(); c++) m[(i * p.L() + t) * p.d() + c] = 1;
      }
    }
    return Tensor.of(m, n, p.L(), p.d());
  }

  /** Entries clipped to [−clip, clip] and rounded to the nearest multiple of δ_P (clip is a multiple of δ_P). */
  static double[] quantize(double[] v, double deltaP, double clip) {
    double[] q = new double[v.length];
    for (int i = 0; i < v.length; i++) q[i] = Math.rint(Math.max(-clip, Math.min(clip, v[i])) / deltaP) * deltaP;
    return q;
  }

  private static Tensor forward(Transformer model, Tensor prompt, Tensor xs) {
    ForwardHooks hooks = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }
    };
    return model.forward(ModelInput.ofVectors(xs), hooks, ForwardMode.EVAL); // [n, L, d], input positions only
  }

  private static RunOutput output(E8Point p, Data data, List<Fit> tried) {
    int capacity = 0;
    int quantized = 0;
    long steps = 0;
    double maxEntry = 0;
    List<Object> trace = new ArrayList<>();
    for (Fit f : tried) {
      if (f.fits() && f.n() > capacity) {
        capacity = f.n();
        maxEntry = f.maxPromptEntry();
      }
      if (f.quantizedFits()) quantized = Math.max(quantized, f.n());
      steps += f.steps();
      trace.add(f.toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capacity", capacity);
    m.put("censored", capacity == p.nMax() ? 1 : 0);
    m.put("capacity_quantized", quantized);
    m.put("prompt_params", p.d() * p.promptLength());
    m.put("prompt_bits", p.promptBits());
    m.put("label_bits_max", Math.log(p.labels()) / Math.log(2));
    m.put("label_bits_mean", data.bits()[p.nMax()] / p.nMax());
    m.put("counting_bound_n", p.promptBits() / (data.bits()[p.nMax()] / p.nMax())); // at the mean bits per label
    m.put("capacity_bits", data.bits()[capacity]);
    m.put("quantized_bits", data.bits()[quantized]);
    m.put("quantized_excess_bits", data.bits()[quantized] - p.promptBits());
    m.put("max_prompt_entry", maxEntry);
    m.put("fits", tried.size());
    m.put("adam_steps", steps);
    return new RunOutput(m, Map.of("tried", trace));
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double a : v) m = Double.isNaN(a) ? Double.POSITIVE_INFINITY : Math.max(m, Math.abs(a));
    return m;
  }
}
