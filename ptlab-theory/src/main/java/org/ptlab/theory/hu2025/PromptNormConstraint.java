package org.ptlab.theory.hu2025;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.ptlab.io.data.Dataset;
import org.ptlab.nn.ForwardHooks;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.DType;
import org.ptlab.tensor.Tensor;
import org.ptlab.tuning.PeftMethod;
import org.ptlab.tuning.TunedModel;
import org.ptlab.tuning.TuningMethod;
import org.ptlab.tuning.prompt.PromptTuning;
import org.ptlab.tuning.train.StepConstraint;

/**
 * Norm-constrained prompt tuning: keeps the exponent range R of the scores a soft prompt takes part in at the
 * <b>first</b> attention layer ≤ R_max, so that prompt tuning stays in the fast (almost-linear) regime of Hu et al.
 * (spec hu2025.md §1.4, §4: the efficiency criterion bounds the soft-prompt-induced keys and queries, "in practice a
 * constraint on P"). A {@link StepConstraint}: the trainer projects the prompt after every optimizer step.
 *
 * <p><b>What is guaranteed</b> [D]. Tokens are rows. In layer 1, prompt row i enters attention as x_i = p_i + c_i,
 * where c_i (its position and token-type embedding, zero for the paper preset) does not depend on P, so per head h
 * q_i^h = W_Q^h p_i + a_i^h and k_i^h = W_K^h p_i + a'_i^h. With Q_h, K_h the largest query and key norms of head h
 * over the real tokens of the calibration data (measured once, from the model's own forward pass), the certified
 * range of the prompt-involved scores is (Cauchy–Schwarz, as {@link PolyPlan#rangeBound})
 * <pre>
 *   R̂(P) = |scale| · max_h max( max_i‖q_i^h‖ · max(K_h, max_j‖k_j^h‖),  Q_h · max_j‖k_j^h‖ )
 * </pre>
 * which bounds |scale·q·k| for every prompt query against every key (prompt or data) and every data query against
 * every prompt key, for every input whose token norms are within the calibration data's. After {@link #project} the
 * stored prompt has R̂ ≤ R_max, computed in float64 on the stored values (the model's own float32 forward may differ
 * by its rounding, ~1e-7 relative). Not covered: data–data scores (the prompt cannot change them in layer 1; see
 * {@link #dataRange()}), later layers, padding rows, and dropout on the embeddings while training (eval passes are
 * covered).
 *
 * <p><b>The projection</b> [D]. If R̂(P) ≤ R_max, P is returned unchanged (bit for bit). Otherwise (1) every row
 * that is infeasible on its own (against the data and itself) is scaled by the largest t_i ∈ [0, 1] that makes it
 * feasible, then (2) if pairs of prompt rows still break the bound, all rows are scaled by one more factor τ ∈ [0, 1].
 * Both factors come from 60 bisection steps on a feasibility test whose t = 0 end holds (R_max must be at least
 * the range of the prompt-independent parts a, a'; checked at construction), so the result is feasible whether or
 * not R̂ is monotone in t. The map is a retraction onto {R̂ ≤ R_max} along rays (not the Euclidean projection): the
 * identity on feasible prompts, idempotent, and a pure function of P (deterministic, resume-safe).
 *
 * <p>A model that normalizes the prompt before its first attention (an embedding layer norm, or pre-LN blocks)
 * cannot be constrained by rescaling P: the layer norm undoes the scale. There the frozen weights alone bound
 * ‖LN(z)‖ ≤ √d·‖γ‖_∞ + …; {@link #calibrate} accepts such a model only when that prompt-independent bound is already
 * ≤ R_max (the projection is then the identity) and otherwise refuses with the bound in the message.
 *
 * <pre>{@code
 * PromptNormConstraint c = PromptNormConstraint.calibrate(tuned, List.of(train), 2.0, 32, 0);
 * new Trainer(tuned, task, config, 0).constrainWith(c).fit(train, null);
 * c.maxRangeAfter();   // ≤ 2.0 after every step
 * }</pre>
 */
public final class PromptNormConstraint implements StepConstraint {
  private static final int BISECTIONS = 60;

  private final FirstLayerRows layer;
  private final double rMax;
  private final int mp;
  private final double[] aq; // prompt-independent query part W_Q c_i + b_Q  [m_p, H·s]
  private final double[] ak; // [m_p, H·s]
  private final double[] qd; // per head, max query norm over the data's real tokens
  private final double[] kd; // per head, max key norm
  private final String normalizedBy; // the layer norm in front of layer 1, or null
  private double normalizedBound = Double.NaN; // R̂ for every prompt when normalizedBy is set
  private long calls;
  private long changed;
  private double maxBefore;
  private double maxAfter;
  private double minFactor = 1;

  private PromptNormConstraint(FirstLayerRows layer, double rMax, int mp, double[] aq, double[] ak, double[] qd,
      double[] kd, String normalizedBy) {
    this.layer = layer;
    this.rMax = rMax;
    this.mp = mp;
    this.aq = aq;
    this.ak = ak;
    this.qd = qd;
    this.kd = kd;
    this.normalizedBy = normalizedBy;
  }

  /**
   * The constraint R̂ ≤ {@code rMax} for the prompt of {@code tuned}, calibrated on {@code data} (null entries are
   * skipped): one eval pass with a zero prompt records the prompt rows' fixed parts and the data's largest query and
   * key norms per head. Needs prompt tuning (optionally with a trained head) and nothing else that changes the
   * first layer.
   *
   * @throws IllegalArgumentException naming {@code --prompt-max-r} when the model or R_max does not allow it
   */
  public static PromptNormConstraint calibrate(TunedModel tuned, List<Dataset> data, double rMax, int batchSize,
      int padId) {
    if (!(rMax > 0) || !Double.isFinite(rMax)) {
      throw new IllegalArgumentException("--prompt-max-r must be a positive number, got " + rMax);
    }
    PromptTuning prompt = (PromptTuning) tuned.method(PeftMethod.PROMPT);
    if (prompt == null) throw new IllegalArgumentException("--prompt-max-r needs --method prompt");
    for (TuningMethod m : tuned.methods()) {
      if (m.kind() != PeftMethod.PROMPT && m.kind() != PeftMethod.HEAD) {
        throw new IllegalArgumentException("--prompt-max-r: --method " + m.kind().cliName() + " changes the first "
            + "layer's weights, which the bound is computed from; use prompt tuning alone (with or without the head)");
      }
    }
    Transformer model = tuned.model();
    FirstLayerRows layer = new FirstLayerRows(model);
    int mp = prompt.prompt().dim(0);
    int hs = layer.heads * layer.s;
    double[] aq = new double[mp * hs];
    double[] ak = new double[mp * hs];
    double[] qd = new double[layer.heads];
    double[] kd = new double[layer.heads];
    Tensor zero = Tensor.zeros(model.config().dtype(), mp, layer.d);
    ForwardHooks zeroPrompt = new ForwardHooks() {
      @Override
      public Tensor prompt() {
        return zero;
      }

      @Override
      public int promptPosition() {
        return prompt.config().position();
      }
    };
    boolean[] offsetsDone = {false};
    double[] v = new double[hs];
    FirstLayerRows.capture(model, zeroPrompt, data, batchSize, padId, c -> {
      if (!offsetsDone[0]) { // the prompt rows of the first example: c_i, the same for every example
        for (int j = 0; j < mp; j++) {
          int off = (c.promptAt() + j) * layer.d;
          layer.apply(layer.wq, layer.bq, true, c.x(), off, v);
          System.arraycopy(v, 0, aq, j * hs, hs);
          layer.apply(layer.wk, layer.bk, true, c.x(), off, v);
          System.arraycopy(v, 0, ak, j * hs, hs);
        }
        offsetsDone[0] = true;
      }
      int len = c.t() - mp;
      for (int bi = 0; bi < c.b(); bi++) {
        for (int i = 0; i < len; i++) {
          if (!c.real(bi, i)) continue;
          int off = (bi * c.t() + c.row(i)) * layer.d;
          layer.apply(layer.wq, layer.bq, true, c.x(), off, v);
          max(qd, layer.headNorms(v));
          layer.apply(layer.wk, layer.bk, true, c.x(), off, v);
          max(kd, layer.headNorms(v));
        }
      }
    });
    String ln = normalization(model.config());
    PromptNormConstraint pc = new PromptNormConstraint(layer, rMax, mp, aq, ak, qd, kd, ln);
    if (ln != null) {
      double bound = pc.normalizedBound(model.parameters().all());
      pc.normalizedBound = bound;
      if (bound > rMax) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "--prompt-max-r: this model applies %s to the "
            + "prompt before its first attention, so rescaling the prompt cannot lower R; for any prompt the frozen "
            + "weights give R <= %.4g, above R_max = %.4g", ln, bound, rMax));
      }
      return pc;
    }
    double fixed = pc.range(new double[mp * layer.d]);
    if (fixed > rMax) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--prompt-max-r %.4g is below what no prompt can "
          + "change: the prompt rows' positions and biases alone give R = %.4g", rMax, fixed));
    }
    return pc;
  }

  private static void max(double[] acc, double[] x) {
    for (int h = 0; h < acc.length; h++) acc[h] = Math.max(acc[h], x[h]);
  }

  /** The layer norm in front of the first attention, or null when the prompt enters it linearly. */
  private static String normalization(TransformerConfig c) {
    if (c.norm() == TransformerConfig.NormPlacement.PRE) return "encoder.layer.0.attention.output.LayerNorm";
    return c.embeddingNorm() ? "embeddings.LayerNorm" : null;
  }

  /**
   * The prompt-independent bound when a layer norm LN(z) = γ⊙u + β (‖u‖₂ ≤ √d) precedes layer 1:
   * ‖W^h·LN(z) + b^h‖ ≤ ‖W^h diag(γ)‖_F·√d + ‖W^h β + b^h‖, combined with the data norms as in R̂.
   */
  private double normalizedBound(Map<String, Tensor> params) {
    double[] gamma = params.get(normalizedBy + ".weight").toDoubleArray();
    double[] beta = params.get(normalizedBy + ".bias").toDoubleArray();
    double[] qn = lnNorms(layer.wq, layer.bq, gamma, beta);
    double[] kn = lnNorms(layer.wk, layer.bk, gamma, beta);
    return combine(qn, kn);
  }

  private double[] lnNorms(double[] w, double[] b, double[] gamma, double[] beta) {
    int d = layer.d;
    int hs = layer.heads * layer.s;
    double[] shift = new double[hs];
    layer.apply(w, b, true, beta, 0, shift);
    double[] out = layer.headNorms(shift);
    for (int h = 0; h < layer.heads; h++) {
      double fro = 0;
      for (int o = h * layer.s; o < (h + 1) * layer.s; o++) {
        for (int i = 0; i < d; i++) fro += (w[o * d + i] * gamma[i]) * (w[o * d + i] * gamma[i]);
      }
      out[h] += Math.sqrt(fro) * Math.sqrt(d);
    }
    return out;
  }

  /** R̂ from the prompt rows' largest query and key norms per head. */
  private double combine(double[] promptQ, double[] promptK) {
    double r = 0;
    for (int h = 0; h < layer.heads; h++) {
      r = Math.max(r, Math.max(promptQ[h] * Math.max(kd[h], promptK[h]), qd[h] * promptK[h]));
    }
    return Math.abs(layer.scale) * r;
  }

  /** The certified range R̂ of the prompt-involved first-layer scores for prompt values p [m_p·d] (row-major). */
  public double range(double[] p) {
    if (normalizedBy != null) return normalizedBound;
    int hs = layer.heads * layer.s;
    double[] pq = new double[layer.heads];
    double[] pk = new double[layer.heads];
    double[] v = new double[hs];
    for (int i = 0; i < mp; i++) {
      layer.apply(layer.wq, null, false, p, i * layer.d, v);
      for (int o = 0; o < hs; o++) v[o] += aq[i * hs + o];
      max(pq, layer.headNorms(v));
      layer.apply(layer.wk, null, false, p, i * layer.d, v);
      for (int o = 0; o < hs; o++) v[o] += ak[i * hs + o];
      max(pk, layer.headNorms(v));
    }
    return combine(pq, pk);
  }

  /** R̂ for a prompt tensor [m_p, d] (for a normalized model the prompt-independent bound). */
  public double range(Tensor prompt) {
    return range(prompt.toDoubleArray());
  }

  @Override
  public void project(Map<String, Tensor> trainable) {
    Tensor p = trainable.get(PromptTuning.KEY);
    if (p == null) throw new IllegalStateException("prompt norm constraint: no trainable '" + PromptTuning.KEY + "'");
    project(p);
  }

  /** Projects the prompt [m_p, d] in place (see the class comment). */
  public void project(Tensor prompt) {
    calls++;
    if (normalizedBy != null) { // feasible for every prompt (checked at calibration)
      maxBefore = maxAfter = normalizedBound;
      return;
    }
    double[] p = prompt.toDoubleArray();
    double before = range(p);
    maxBefore = Math.max(maxBefore, before);
    if (before <= rMax) {
      maxAfter = Math.max(maxAfter, before);
      return;
    }
    int hs = layer.heads * layer.s;
    double[] lq = new double[mp * hs]; // W_Q p_i, W_K p_i: the parts that scale
    double[] lk = new double[mp * hs];
    double[] v = new double[hs];
    for (int i = 0; i < mp; i++) {
      layer.apply(layer.wq, null, false, p, i * layer.d, v);
      System.arraycopy(v, 0, lq, i * hs, hs);
      layer.apply(layer.wk, null, false, p, i * layer.d, v);
      System.arraycopy(v, 0, lk, i * hs, hs);
    }
    double[] t = new double[mp];
    for (int i = 0; i < mp; i++) {
      int row = i;
      t[i] = largestFeasible(x -> rowFeasible(lq, lk, row, x));
    }
    double tau = largestFeasible(x -> allFeasible(lq, lk, t, x));
    boolean f32 = prompt.dtype() == DType.F32;
    double[] out = new double[p.length];
    double shrink = 1;
    for (int attempt = 0; ; attempt++) { // rounding to the prompt's dtype may nudge R̂ up by an ulp: shrink a hair
      for (int i = 0; i < mp; i++) {
        double f = attempt < 100 ? shrink * tau * t[i] : 0; // 0: the prompt-independent part, feasible
        for (int c = 0; c < layer.d; c++) {
          double x = f * p[i * layer.d + c];
          out[i * layer.d + c] = f32 ? (float) x : x;
        }
      }
      double after = range(out);
      if (after <= rMax) {
        maxAfter = Math.max(maxAfter, after);
        break;
      }
      shrink *= 1 - 1e-6;
    }
    for (int i = 0; i < mp; i++) minFactor = Math.min(minFactor, tau * t[i] * shrink);
    for (int j = 0; j < out.length; j++) prompt.setFlat(j, out[j]);
    changed++;
  }

  /** The largest x ∈ [0, 1] with ok(x), by bisection from the feasible end 0 (1 if ok(1)). */
  private static double largestFeasible(DoublePredicate ok) {
    if (ok.test(1)) return 1;
    double lo = 0;
    double hi = 1;
    for (int k = 0; k < BISECTIONS; k++) {
      double mid = 0.5 * (lo + hi);
      if (ok.test(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Row i scaled by x, against the data and itself. */
  private boolean rowFeasible(double[] lq, double[] lk, int i, double x) {
    double[] qn = scaledNorms(lq, aq, i, x);
    double[] kn = scaledNorms(lk, ak, i, x);
    double r = 0;
    for (int h = 0; h < layer.heads; h++) {
      r = Math.max(r, Math.max(qn[h] * Math.max(kd[h], kn[h]), qd[h] * kn[h]));
    }
    return Math.abs(layer.scale) * r <= rMax;
  }

  /** Every row i scaled by x·t_i: R̂ ≤ R_max. */
  private boolean allFeasible(double[] lq, double[] lk, double[] t, double x) {
    double[] pq = new double[layer.heads];
    double[] pk = new double[layer.heads];
    for (int i = 0; i < mp; i++) {
      max(pq, scaledNorms(lq, aq, i, x * t[i]));
      max(pk, scaledNorms(lk, ak, i, x * t[i]));
    }
    return combine(pq, pk) <= rMax;
  }

  /** Per head ‖x·lin_i + fixed_i‖. */
  private double[] scaledNorms(double[] lin, double[] fixed, int i, double x) {
    int hs = layer.heads * layer.s;
    double[] v = new double[hs];
    for (int o = 0; o < hs; o++) v[o] = x * lin[i * hs + o] + fixed[i * hs + o];
    return layer.headNorms(v);
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "prompt-max-r %s (layer-1 data norms q %s k %s%s)", rMax,
        Arrays.toString(qd), Arrays.toString(kd), normalizedBy == null ? "" : ", normalized by " + normalizedBy);
  }

  /** R_max. */
  public double rMax() {
    return rMax;
  }

  /**
   * |scale|·max_h Q_h·K_h: the Cauchy–Schwarz range of the data–data scores of layer 1, which no prompt changes
   * (the fast kernel's R over a whole layer-1 call is at most max(R̂, this)).
   */
  public double dataRange() {
    double r = 0;
    for (int h = 0; h < layer.heads; h++) r = Math.max(r, qd[h] * kd[h]);
    return Math.abs(layer.scale) * r;
  }

  /** Per head, the largest query norm of the calibration data's real tokens (layer 1). */
  public double[] dataQueryNorms() {
    return qd.clone();
  }

  /** Per head, the largest key norm. */
  public double[] dataKeyNorms() {
    return kd.clone();
  }

  /** The layer norm that makes every prompt feasible (see the class comment), or null. */
  public String normalizedBy() {
    return normalizedBy;
  }

  /** How many times {@link #project} ran, and how many of those changed the prompt. */
  public long calls() {
    return calls;
  }

  public long changed() {
    return changed;
  }

  /** The largest R̂ seen before projecting, and after (≤ R_max). */
  public double maxRangeBefore() {
    return maxBefore;
  }

  public double maxRangeAfter() {
    return maxAfter;
  }

  /** The smallest factor any prompt row was scaled by (1 when nothing was projected). */
  public double minFactor() {
    return minFactor;
  }

  /**
   * The true largest |scale·q·k| of layer 1 (not a bound), from the model's own forward pass with its current
   * prompt over the real tokens of {@code data}, in float64: over scores with a prompt query or a prompt key, and
   * over data–data scores. O(n²·s) per example and head: for experiments and tests.
   *
   * @return {prompt-involved max, data–data max}
   */
  public static double[] measure(TunedModel tuned, List<Dataset> data, int batchSize, int padId) {
    return measure(tuned, data, batchSize, padId, true);
  }

  /** As {@link #measure(TunedModel, List, int, int)}; without {@code dataPairs} only the prompt-involved max (O(n·m_p·s)). */
  public static double[] measure(TunedModel tuned, List<Dataset> data, int batchSize, int padId, boolean dataPairs) {
    Transformer model = tuned.model();
    FirstLayerRows layer = new FirstLayerRows(model);
    int hs = layer.heads * layer.s;
    double[] best = new double[2];
    FirstLayerRows.capture(model, tuned.hooks(), data, batchSize, padId, c -> {
      int mp = c.promptLength();
      int len = c.t() - mp;
      for (int bi = 0; bi < c.b(); bi++) {
        int n = 0;
        int[] rows = new int[c.t()];
        for (int j = 0; j < mp; j++) rows[n++] = c.promptAt() + j; // prompt rows first
        for (int i = 0; i < len; i++) if (c.real(bi, i)) rows[n++] = c.row(i);
        double[] q = new double[n * hs];
        double[] k = new double[n * hs];
        double[] v = new double[hs];
        for (int r = 0; r < n; r++) {
          int off = (bi * c.t() + rows[r]) * layer.d;
          layer.apply(layer.wq, layer.bq, true, c.x(), off, v);
          System.arraycopy(v, 0, q, r * hs, hs);
          layer.apply(layer.wk, layer.bk, true, c.x(), off, v);
          System.arraycopy(v, 0, k, r * hs, hs);
        }
        for (int h = 0; h < layer.heads; h++) {
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < (dataPairs || i < mp ? n : mp); j++) {
              double dot = 0;
              for (int m = h * layer.s; m < (h + 1) * layer.s; m++) dot += q[i * hs + m] * k[j * hs + m];
              int which = i < mp || j < mp ? 0 : 1;
              best[which] = Math.max(best[which], Math.abs(layer.scale * dot));
            }
          }
        }
      }
    });
    return best;
  }

  /** One sentence on what is guaranteed, for reports. */
  public String guarantee() {
    return normalizedBy != null
        ? "every prompt: the layer norm " + normalizedBy + " bounds layer-1 prompt rows whatever their scale"
        : "layer-1 scores with a prompt query or key, for inputs whose token norms are within the calibration "
            + "data's (Cauchy-Schwarz bound, float64 on the stored prompt)";
  }
}
