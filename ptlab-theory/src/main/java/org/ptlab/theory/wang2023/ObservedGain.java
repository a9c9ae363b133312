package org.ptlab.theory.wang2023;

import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.ForwardMode;
import org.ptlab.nn.ModelInput;
import org.ptlab.nn.Transformer;
import org.ptlab.tensor.GradMode;
import org.ptlab.tensor.Tensor;
import org.ptlab.tensor.random.Rng;

/**
 * The largest (or smallest) gain ‖F(X2) − F(X1)‖_{∞,2} / ‖X2 − X1‖_{∞,2} found over input pairs whose tokens lie in
 * the ball ‖x_j‖ ≤ D, by a dense random search followed by projected gradient ascent with PTLab's autograd. This is
 * the empirical side of E4 (spec §0.1: the gain is measured in the norm the bound is stated in, never the spectral
 * norm of the flattened Jacobian). A found gain is a lower bound on the true Lipschitz constant, so a certified
 * bound must never be below it.
 *
 * <p>Pairs are X1 = X, X2 = X + r·U with ‖U‖_{∞,2} = 1 (U = W / max_j ‖w_j‖) and r = {@code relativeStep}·D, and the
 * rows of X are kept within radius D − r so both ends lie in the ball. For the supremum small r loses nothing: the
 * ball is convex, so the Lipschitz constant on it equals the largest local gain. The objective uses the output row
 * of largest norm (the ∞ part of the norm; its gradient is that row's). Tokens are rows: x [B, m, d].
 *
 * <pre>{@code
 * ObservedGain.Result r = ObservedGain.maximize(ObservedGain.model(model, prompt), m, d, 1.0, Options.quick(7));
 * r.gain();   // ≤ LipschitzInvertibilityCertificate.certify(model, 1.0, …).lipschitzBound()
 * }</pre>
 */
public final class ObservedGain {
  private ObservedGain() {}

  /** A differentiable map of sequences x [B, m, d] → [B, m', d'] (each sequence of the batch on its own). */
  @FunctionalInterface
  public interface SequenceMap {
    Tensor apply(Tensor x);
  }

  /**
   * How hard to search.
   *
   * @param randomPairs pairs drawn in the random search (one batch)
   * @param restarts best random pairs refined by gradient ascent (one batch)
   * @param steps ascent steps
   * @param learningRate step of X as a fraction of D (and of W's scale), decayed linearly to 0
   * @param relativeStep r / D, the size of the pair's difference
   * @param seed the search's seed
   */
  public record Options(int randomPairs, int restarts, int steps, double learningRate, double relativeStep, long seed) {
    public Options {
      if (randomPairs < 1 || restarts < 1 || restarts > randomPairs || steps < 0) {
        throw new IllegalArgumentException("gain search: need randomPairs >= restarts >= 1 and steps >= 0");
      }
      if (!(relativeStep > 0 && relativeStep < 1)) {
        throw new IllegalArgumentException("gain search: relativeStep must be in (0, 1), got " + relativeStep);
      }
    }

    /** A search that takes well under a second on the paper's small models. */
    public static Options quick(long seed) {
      return new Options(256, 8, 100, 0.05, 1e-4, seed);
    }
  }

  /**
   * The best pair found.
   *
   * @param gain its gain ‖F(x2) − F(x1)‖_{∞,2} / ‖x2 − x1‖_{∞,2}
   * @param randomSearchGain the best gain of the random search alone
   * @param x1 the pair's first input [m·d] (row-major [m, d])
   * @param x2 the second
   */
  public record Result(double gain, double randomSearchGain, double[] x1, double[] x2) {}

  /** The largest gain found for {@code f} over inputs of m tokens of width d within radius D. */
  public static Result maximize(SequenceMap f, int m, int d, double radius, Options o) {
    return search(f, m, d, radius, o, +1);
  }

  /** The smallest gain found (co-Lipschitz side, for the invertibility certificate κ). */
  public static Result minimize(SequenceMap f, int m, int d, double radius, Options o) {
    return search(f, m, d, radius, o, -1);
  }

  /** ‖F(x2) − F(x1)‖_{∞,2} / ‖x2 − x1‖_{∞,2} for one pair of inputs [m·d]. */
  public static double gain(SequenceMap f, double[] x1, double[] x2, int m, int d) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor y1 = f.apply(Tensor.of(x1.clone(), 1, m, d));
      Tensor y2 = f.apply(Tensor.of(x2.clone(), 1, m, d));
      double[] diff = y2.sub(y1).toDoubleArray();
      double[] dx = new double[x1.length];
      for (int i = 0; i < dx.length; i++) dx[i] = x2[i] - x1[i];
      return infTwo(diff, y1.dim(2)) / infTwo(dx, d);
    }
  }

  /** ‖X‖_{∞,2} = max over rows of the row's 2-norm, for x row-major with rows of width d. */
  public static double infTwo(double[] x, int d) {
    double best = 0;
    for (int i = 0; i < x.length; i += d) {
      double s = 0;
      for (int j = i; j < i + d; j++) s += x[j] * x[j];
      best = Math.max(best, s);
    }
    return Math.sqrt(best);
  }

  /** X ↦ τ_P(X), the model's final states at the input positions with prompt P [m_p, d] (null for none). */
  public static SequenceMap model(Transformer model, Tensor prompt) {
    ForwardHooks hooks = prompt == null ? ForwardHooks.NONE : new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return prompt;
      }
    };
    return x -> model.encode(ModelInput.ofVectors(x), hooks, ForwardMode.EVAL);
  }

  private static Result search(SequenceMap f, int m, int d, double radius, Options o, int sign) {
    if (!(radius > 0)) throw new IllegalArgumentException("gain search: radius must be > 0, got " + radius);
    Rng rng = new Rng(o.seed());
    double r = o.relativeStep() * radius;
    int n = o.randomPairs();
    int md = m * d;
    double[] x = randomBall(rng, n, m, d, radius - r);
    double[] w = new double[n * md];
    for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
    double[] gains;
    try (GradMode.Scope s = GradMode.noGrad()) {
      Tensor diff = pairDifference(f, Tensor.of(x.clone(), n, m, d), Tensor.of(w.clone(), n, m, d), r);
      gains = rowMax(diff.toDoubleArray(), n, diff.dim(2), r).gains();
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Double.compare(sign * gains[b], sign * gains[a]));
    int k = o.restarts();
    double[] xs = new double[k * md];
    double[] ws = new double[k * md];
    for (int i = 0; i < k; i++) {
      System.arraycopy(x, order[i] * md, xs, i * md, md);
      System.arraycopy(w, order[i] * md, ws, i * md, md);
    }
    return ascend(f, xs, ws, new int[] {k, m, d}, radius, r, o, sign, gains[order[0]]);
  }

  /** F(X + r·U) − F(X) with U = W / max_j ‖w_j‖: [B, m', d']. */
  private static Tensor pairDifference(SequenceMap f, Tensor x, Tensor w, double r) {
    Tensor u = unitInfTwo(w); // [B, m, d]
    return f.apply(x.add(u.mul(r))).sub(f.apply(x));
  }

  /** Projected gradient ascent of sign·gain from the pairs (x, w), batch [k, m, d]; returns the best pair seen. */
  private static Result ascend(SequenceMap f, double[] x, double[] w, int[] shape, double radius, double r,
      Options o, int sign, double randomBest) {
    int k = shape[0];
    int md = shape[1] * shape[2];
    double best = Double.NaN;
    double[] bestX1 = null;
    double[] bestX2 = null;
    for (int t = 0; t <= o.steps(); t++) {
      Tensor xt = Tensor.of(x.clone(), shape).requiresGrad(true);
      Tensor wt = Tensor.of(w.clone(), shape).requiresGrad(true);
      Tensor diff = pairDifference(f, xt, wt, r); // [k, m', d']
      RowMax rm = rowMax(diff.toDoubleArray(), k, diff.dim(2), r);
      double[] u = unitInfTwo(Tensor.of(w.clone(), shape)).toDoubleArray();
      for (int b = 0; b < k; b++) {
        if (!Double.isNaN(best) && !(sign * rm.gains()[b] > sign * best)) continue;
        best = rm.gains()[b];
        bestX1 = java.util.Arrays.copyOfRange(x, b * md, (b + 1) * md);
        bestX2 = bestX1.clone();
        for (int i = 0; i < md; i++) bestX2[i] += r * u[b * md + i];
      }
      if (t == o.steps()) break;
      Tensor mask = oneHotRows(rm.rows(), diff.dim(1)); // [k, m', 1]
      diff.square().mul(mask).sum(2, false).sum(1, false).add(1e-300).sqrt().sum().mul(sign / r).backward();
      double lr = o.learningRate() * (1 - t / (double) o.steps());
      step(x, xt.grad().toDoubleArray(), k, lr * radius);
      step(w, wt.grad().toDoubleArray(), k, lr * Math.sqrt(shape[1]));
      projectRows(x, shape[2], radius - r);
      unitMaxRow(w, k, shape[2]); // U is scale-free in W: keep W's scale at 1 so the step size means something
    }
    return new Result(best, randomBest, bestX1, bestX2);
  }

  /** Per sample b: x_b += size · g_b / ‖g_b‖ (a normalized step, so the scale of the gain does not matter). */
  private static void step(double[] x, double[] g, int k, double size) {
    int per = x.length / k;
    for (int b = 0; b < k; b++) {
      double n = 0;
      for (int i = b * per; i < (b + 1) * per; i++) n += g[i] * g[i];
      if (!(n > 0) || !Double.isFinite(n)) continue;
      double c = size / Math.sqrt(n);
      for (int i = b * per; i < (b + 1) * per; i++) x[i] += c * g[i];
    }
  }

  /** Rows of x (width d) longer than rho are scaled back onto the sphere of radius rho. */
  private static void projectRows(double[] x, int d, double rho) {
    for (int i = 0; i < x.length; i += d) {
      double s = 0;
      for (int j = i; j < i + d; j++) s += x[j] * x[j];
      double n = Math.sqrt(s);
      if (n <= rho) continue;
      for (int j = i; j < i + d; j++) x[j] *= rho / n;
    }
  }

  /** Each sample's rows of w (width d) scaled so that its longest row has norm 1. */
  private static void unitMaxRow(double[] w, int k, int d) {
    int per = w.length / k;
    for (int b = 0; b < k; b++) {
      double max = ObservedGain.infTwo(java.util.Arrays.copyOfRange(w, b * per, (b + 1) * per), d);
      if (!(max > 0)) continue;
      for (int i = b * per; i < (b + 1) * per; i++) w[i] /= max;
    }
  }

  /** n·m rows of width d within radius rho: half of the samples on the sphere (where gains peak), half inside. */
  private static double[] randomBall(Rng rng, int n, int m, int d, double rho) {
    double[] x = new double[n * m * d];
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < m; j++) {
        int o = (b * m + j) * d;
        double s = 0;
        for (int i = 0; i < d; i++) {
          x[o + i] = rng.nextGaussian();
          s += x[o + i] * x[o + i];
        }
        double len = b % 2 == 0 ? rho : rho * Math.pow(rng.nextDouble(), 1.0 / d);
        for (int i = 0; i < d; i++) x[o + i] *= len / Math.sqrt(s);
      }
    }
    return x;
  }

  /** Each sample's largest output row (index and norm / r). */
  private record RowMax(int[] rows, double[] gains) {}

  private static RowMax rowMax(double[] diff, int n, int width, double r) {
    int per = diff.length / n;
    int[] rows = new int[n];
    double[] gains = new double[n];
    for (int b = 0; b < n; b++) {
      double best = -1;
      for (int i = 0; i < per; i += width) {
        double s = 0;
        for (int j = 0; j < width; j++) s += diff[b * per + i + j] * diff[b * per + i + j];
        if (s > best) {
          best = s;
          rows[b] = i / width;
        }
      }
      gains[b] = Math.sqrt(best) / r;
    }
    return new RowMax(rows, gains);
  }

  /** [n, rows, 1] with a 1 at each sample's chosen row. */
  private static Tensor oneHotRows(int[] chosen, int rows) {
    double[] m = new double[chosen.length * rows];
    for (int b = 0; b < chosen.length; b++) m[b * rows + chosen[b]] = 1;
    return Tensor.of(m, chosen.length, rows, 1);
  }

  /** U = W / max_j ‖w_j‖ per sample, so ‖U‖_{∞,2} = 1 (differentiable). */
  static Tensor unitInfTwo(Tensor w) {
    Tensor rowNorm = w.square().sum(2, true).add(1e-300).sqrt(); // [B, m, 1]
    return w.div(rowNorm.max(1, true)); // [B, m, d]
  }
}
