package org.ptlab.lab.hu2025;

import static org.ptlab.lab.Claim.Source.DERIVED;
import static org.ptlab.lab.Claim.Source.RECALLED;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * E8's claims. Capacities found by training are noisy (the model, the data and Adam's luck), so claims comparing
 * them use seed medians with a margin and are tests only with ≥ {@link #MIN_SEEDS} seeds per point (else
 * observations); the counting bound is a test on every run (it is a probability bound: see
 * {@code quantized-capacity-within-counting-bound}); the line fit is an observation.
 */
final class E8Claims {
  static final int MIN_SEEDS = 3;
  /** Relative margin for "non-decreasing": a median may fall by 15% (bisection and Adam noise) and still count. */
  static final double MARGIN = 0.15;
  /** Slack of the counting test in bits: P(a run exceeds the bound by more than s bits) ≤ 2^{−s}. */
  static final double SLACK_BITS = 20;

  private E8Claims() {}

  static List<Claim> claims(Results r) {
    Map<String, TreeMap<Integer, List<RunRecord>>> groups = groups(r);
    boolean fewSeeds = groups.values().stream().flatMap(g -> g.values().stream()).anyMatch(v -> v.size() < MIN_SEEDS);
    List<Claim> out = new ArrayList<>();
    out.add(Claim.test("capacity-non-decreasing-in-prompt-length").source(DERIVED)
        .says("A longer prompt memorizes at least as much: over consecutive m_p, min of (median capacity(next) − median "
            + "capacity(prev)) / max(1, median capacity(prev)) is ≥ 0, with a 15% margin for search and Adam noise.")
        .atLeast(0).within(MARGIN).observationIf(fewSeeds, "fewer than 3 seeds per m_p")
        .measure(() -> worstStep(nonEmpty(groups))));
    out.add(Claim.test("quantized-capacity-within-counting-bound").source(DERIVED)
        .says("Counting (spec hu2025.md §0.1): a prompt on a δ_P grid in [−clip, clip] is one of V^{d·m_p}, and a fixed "
            + "prompt fits example i's random label (one of K targets) with probability ≤ m_i/K, so some quantized "
            + "prompt fits n examples with probability ≤ 2^{d·m_p·log2 V − Σ_{i≤n} log2(K/m_i)}: max over runs of "
            + "(label bits of the largest n the quantized prompt fits) − d·m_p·log2 V ≤ 0 + 20 bits (a violation has "
            + "chance ≤ 2^−20). Real-valued prompts admit no such bound.")
        .atMost(0).within(SLACK_BITS).measure(() -> Results.max(Results.metric(runs(nonEmpty(groups)),
            "quantized_excess_bits"))));
    out.add(Claim.observation("capacity-linear-in-prompt-length").source(RECALLED)
        .says("Meyer et al. 2025 argue memorized information grows at most linearly in prompt length: R² of the "
            + "least-squares line through the seed medians of capacity vs m_p (uncensored points, worst group).")
        .atLeast(0.9).measure(() -> worstR2(nonEmpty(groups))));
    out.add(Claim.observation("bits-per-prompt-entry").source(DERIVED)
        .says("Information the trained real-valued prompt stores per entry: max over m_p of median capacity·label bits "
            + "/ (d·m_p), next to log2 V, what one quantized entry can hold.")
        .atMost(runs(groups).stream().mapToDouble(x -> x.metric("prompt_bits") / x.metric("prompt_params")).max()
            .orElse(Double.NaN))
        .measure(() -> {
          double best = 0;
          for (TreeMap<Integer, List<RunRecord>> g : nonEmpty(groups).values()) {
            for (List<RunRecord> v : g.values()) {
              best = Math.max(best, median(v, "capacity_bits") / v.get(0).metric("prompt_params"));
            }
          }
          return best;
        }));
    return out;
  }

  /** Runs grouped by model and readout ("d=4 L=2 last"), then by m_p. */
  static Map<String, TreeMap<Integer, List<RunRecord>>> groups(Results r) {
    Map<String, TreeMap<Integer, List<RunRecord>>> out = new LinkedHashMap<>();
    for (RunRecord x : r.done()) {
      Map<String, Object> c = x.config();
      String key = "d=" + c.get("d") + " L=" + c.get("L") + " " + c.get("readout");
      out.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(((Number) c.get("m_p")).intValue(),
          k -> new ArrayList<>()).add(x);
    }
    return out;
  }

  static double median(List<RunRecord> runs, String metric) {
    return Results.median(Results.metric(runs, metric));
  }

  private static double worstStep(Map<String, TreeMap<Integer, List<RunRecord>>> groups) {
    double worst = Double.POSITIVE_INFINITY;
    for (TreeMap<Integer, List<RunRecord>> g : groups.values()) {
      List<Double> med = g.values().stream().map(v -> median(v, "capacity")).toList();
      for (int i = 1; i < med.size(); i++) {
        worst = Math.min(worst, (med.get(i) - med.get(i - 1)) / Math.max(1, med.get(i - 1)));
      }
    }
    if (worst == Double.POSITIVE_INFINITY) throw Claim.noData("needs ≥ 2 prompt lengths");
    return worst;
  }

  /** R² of the least-squares line y = a + b·m_p through the uncensored medians; the worst group. */
  private static double worstR2(Map<String, TreeMap<Integer, List<RunRecord>>> groups) {
    double worst = Double.POSITIVE_INFINITY;
    for (TreeMap<Integer, List<RunRecord>> g : groups.values()) {
      double[][] pts = uncensoredMedians(g);
      if (pts.length >= 3) worst = Math.min(worst, r2(pts));
    }
    if (worst == Double.POSITIVE_INFINITY) throw Claim.noData("needs ≥ 3 uncensored prompt lengths");
    return worst;
  }

  /** (m_p, median capacity) where no seed hit n_max. */
  static double[][] uncensoredMedians(TreeMap<Integer, List<RunRecord>> g) {
    return g.entrySet().stream().filter(e -> e.getValue().stream().allMatch(x -> x.metric("censored") == 0))
        .map(e -> new double[] {e.getKey(), median(e.getValue(), "capacity")}).toArray(double[][]::new);
  }

  /** Slope of the least-squares line through the origin (the linear reference drawn in the figure). */
  static double slopeThroughOrigin(double[][] pts) {
    double xy = 0;
    double xx = 0;
    for (double[] p : pts) {
      xy += p[0] * p[1];
      xx += p[0] * p[0];
    }
    return xx == 0 ? Double.NaN : xy / xx;
  }

  private static double r2(double[][] pts) {
    int n = pts.length;
    double mx = 0;
    double my = 0;
    for (double[] p : pts) {
      mx += p[0] / n;
      my += p[1] / n;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] p : pts) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
      syy += (p[1] - my) * (p[1] - my);
    }
    return syy == 0 ? 1 : sxy * sxy / (sxx * syy);
  }

  private static List<RunRecord> runs(Map<String, TreeMap<Integer, List<RunRecord>>> groups) {
    return groups.values().stream().flatMap(g -> g.values().stream()).flatMap(List::stream).toList();
  }

  private static Map<String, TreeMap<Integer, List<RunRecord>>> nonEmpty(
      Map<String, TreeMap<Integer, List<RunRecord>>> groups) {
    if (groups.isEmpty()) throw Claim.noData("no completed E8 run");
    return groups;
  }
}
