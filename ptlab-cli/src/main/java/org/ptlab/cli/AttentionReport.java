package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ptlab.theory.hu2025.KernelDecision;
import org.ptlab.tuning.AdapterJson;

/**
 * What the attention kernel of a {@code tune} or {@code eval} run did, over all its calls (one per layer and
 * forward pass): how many took the polynomial path and how many ran exact (and why), the largest certified bound
 * used, the range of R seen, and the degrees and ranks chosen. One stderr line per new kind of decision (path and
 * degree, or the reason for exact), at most {@link #MAX_LINES}; {@link #toJson()} for the results.
 */
final class AttentionReport implements Consumer<KernelDecision> {
  static final int MAX_LINES = 8;
  /** Held so that the logging configuration is not collected with the logger. */
  private static final java.util.logging.Logger LIBRARY_LOG =
      java.util.logging.Logger.getLogger("org.ptlab.theory.hu2025.attention");

  private final String kernel;
  private final double tolerance;
  private final PrintStream log;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Long> exactReasons = new TreeMap<>();
  private long calls;
  private long fast;
  private long fallbackRows;
  private double maxBound;
  private double rangeMin = Double.POSITIVE_INFINITY;
  private double rangeMax = Double.NEGATIVE_INFINITY;
  private int degreeMin = Integer.MAX_VALUE;
  private int degreeMax = -1;
  private long rankMax;

  AttentionReport(String kernel, double tolerance, PrintStream log) {
    this.kernel = kernel;
    this.tolerance = tolerance;
    this.log = log;
  }

  /** The kernels log every new path at INFO through System.Logger; the CLI reports through this class instead. */
  static void quietLibraryLog() {
    LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** A call of the plain exact kernel. */
  synchronized void exactCall() {
    calls++;
    exactReasons.merge("requested", 1L, Long::sum);
  }

  @Override
  public synchronized void accept(KernelDecision d) {
    calls++;
    if (Double.isFinite(d.range()) && (d.fast() || !category(d.reason()).equals("causal"))) { // causal: not planned
      rangeMin = Math.min(rangeMin, d.range());
      rangeMax = Math.max(rangeMax, d.range());
    }
    String key;
    if (d.fast()) {
      fast++;
      fallbackRows += d.fallbackRows();
      maxBound = Math.max(maxBound, d.bound());
      degreeMin = Math.min(degreeMin, d.degree());
      degreeMax = Math.max(degreeMax, d.degree());
      rankMax = Math.max(rankMax, d.rank());
      key = "polynomial g=" + d.degree();
    } else {
      String why = category(d.reason());
      exactReasons.merge(why, 1L, Long::sum);
      key = "exact " + why;
    }
    if (log != null && seen.add(key) && seen.size() <= MAX_LINES) {
      log.println("attention: " + d + (seen.size() == MAX_LINES ? " (further kinds: see the summary)" : ""));
    }
  }

  /** A reason's kind: causal, bound (certificate above the tolerance), cost, rank, no_degree. */
  static String category(String reason) {
    if (reason.startsWith("causal")) return "causal";
    if (reason.startsWith("certified bound")) return "bound";
    if (reason.startsWith("predicted")) return "cost";
    if (reason.startsWith("rank")) return "rank";
    if (reason.startsWith("no polynomial degree")) return "no_degree";
    return "other";
  }

  /** One line: counts, bound, R, degree and rank. */
  synchronized String summary() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "attention %s: %d calls, %d polynomial", kernel,
        calls, fast));
    if (fast > 0) {
      sb.append(String.format(Locale.ROOT, " (max certified bound %.3g <= %.3g, g %d..%d, r <= %d, fallback rows %d)",
          maxBound, tolerance, degreeMin, degreeMax, rankMax, fallbackRows));
    }
    sb.append(String.format(Locale.ROOT, ", %d exact %s", calls - fast, exactReasons));
    if (rangeMax >= rangeMin) sb.append(String.format(Locale.ROOT, "; R %.4g..%.4g", rangeMin, rangeMax));
    return sb.toString();
  }

  /** The "attention" object of metrics.json and of eval's --json. */
  synchronized ObjectNode toJson() {
    ObjectNode o = AdapterJson.object();
    o.put("kernel", kernel);
    if (Double.isNaN(tolerance)) o.putNull("tolerance");
    else o.put("tolerance", tolerance);
    o.put("calls", calls);
    o.put("fast_calls", fast);
    o.put("exact_calls", calls - fast);
    ObjectNode why = o.putObject("exact_reasons");
    exactReasons.forEach(why::put);
    o.put("max_bound", maxBound);
    putRange(o, "range_min", rangeMin, rangeMax >= rangeMin);
    putRange(o, "range_max", rangeMax, rangeMax >= rangeMin);
    if (fast > 0) {
      o.put("degree_min", degreeMin);
      o.put("degree_max", degreeMax);
      o.put("rank_max", rankMax);
    } else {
      o.putNull("degree_min");
      o.putNull("degree_max");
      o.putNull("rank_max");
    }
    o.put("fallback_rows", fallbackRows);
    o.put("backward", kernel.equals("exact") ? "exact autograd"
        : "calls on the polynomial path: the certified fast gradient (FastAttentionGradient); exact calls: exact autograd");
    return o;
  }

  private static void putRange(ObjectNode o, String key, double v, boolean has) {
    if (has) o.put(key, v);
    else o.putNull(key);
  }
}
