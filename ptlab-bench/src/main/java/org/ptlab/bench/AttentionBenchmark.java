package org.ptlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.ptlab.cli.Benchmark;
import org.ptlab.cli.UserError;

/**
 * {@code ptlab bench attention}: exact vs polynomial-method attention (spec hu2025.md check A4, DESIGN.md) in
 * float64, s = 4, value width s, R ≤ 1, certified max-norm error ≤ 1e-6; n = 2^8 … 2^16 square plus one
 * rectangular point (L = n/8 queries, the prompt-tuning case), each with libtorch's blocked exact attention beside
 * it. Reports the log-log slopes of time against n (least squares over the square points, and over n ≥ 2048
 * where per-call overheads no longer flatten them) and the crossover n
 * where the fast path starts to win (interpolated on log-log axes between the two grid points around it).
 * {@code --quick}: n = 2^8 … 2^14, rectangular at 2^12, shorter timing. {@code --only}: a comma list of n values
 * and/or "rect".
 */
public final class AttentionBenchmark implements Benchmark {
  static final long SEED = 20_250_605L;
  static final int S = 4;
  static final double TOLERANCE = 1e-6;

  @Override
  public String name() {
    return "attention";
  }

  @Override
  public String description() {
    return "exact vs polynomial-method attention, n = 2^8..2^16, s = 4, certified error <= 1e-6 (vs libtorch)";
  }

  @Override
  public ObjectNode run(BenchOptions options, PrintStream log) throws Exception {
    boolean quick = options.quick();
    List<Integer> ns = new ArrayList<>();
    for (int e = 8; e <= (quick ? 14 : 16); e++) ns.add(1 << e);
    int rectN = quick ? 1 << 12 : 1 << 14;
    boolean rect = true;
    if (options.only() != null && !options.only().isBlank()) {
      List<Integer> chosen = new ArrayList<>();
      rect = false;
      for (String part : options.only().split(",")) {
        String p = part.trim();
        if (p.equals("rect")) {
          rect = true;
        } else if (p.matches("\\d+") && Integer.bitCount(Integer.parseInt(p)) == 1) {
          chosen.add(Integer.parseInt(p));
        } else if (!p.isEmpty()) {
          throw new UserError("--only: '" + p + "' is neither a power of two n nor 'rect'");
        }
      }
      ns = chosen;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Peer peer = null;
    try {
      peer = Peer.start();
      Peer.threads(options.threads());
      log.printf("peer: libtorch %s at %d intra-op threads; PTLab at %d threads%n", peer.version(), Peer.threads(),
          options.threads());
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      log.println("peer: libtorch not available (" + e + "); timing PTLab only");
      out.put("torch_unavailable", String.valueOf(e));
    }
    try {
      ArrayNode points = JsonNodeFactory.instance.arrayNode();
      List<Integer> torchThreads = new ArrayList<>(new java.util.TreeSet<>(List.of(1, options.threads())));
      for (int n : ns) {
        points.add(AttentionPoint.measure(n, n, S, TOLERANCE, SEED, peer, torchThreads, quick, log));
        System.gc(); // G1 gives the exact kernel's garbage back after a full GC: the heap stays small between points
      }
      double maxR = 0;
      double eps = Double.NaN;
      for (JsonNode p : points) {
        maxR = Math.max(maxR, p.get("R").asDouble());
        eps = p.get("eps").asDouble();
      }
      out.put("s", S);
      out.put("R", AttentionPoint.round(maxR));
      out.put("eps", eps);
      out.put("tolerance", TOLERANCE);
      out.set("points", points);
      out.put("slope_exact", AttentionPoint.round(slope(points, "exact_ms")));
      out.put("slope_fast", AttentionPoint.round(slope(points, "fast_ms")));
      if (peer != null) out.put("slope_torch", AttentionPoint.round(slope(points, "torch_ms")));
      // fixed per-call costs flatten the small-n end; the asymptotic slopes are read off n >= 2048
      ArrayNode large = JsonNodeFactory.instance.arrayNode();
      for (JsonNode p : points) if (p.get("n").asInt() >= 2048) large.add(p);
      out.put("slope_exact_n_ge_2048", AttentionPoint.round(slope(large, "exact_ms")));
      out.put("slope_fast_n_ge_2048", AttentionPoint.round(slope(large, "fast_ms")));
      out.put("crossover_n", AttentionPoint.round(crossover(points)));
      if (rect) {
        out.set("rectangular", AttentionPoint.measure(rectN, rectN / 8, S, TOLERANCE, SEED, peer, torchThreads, quick,
            log));
      }
      out.put("timing", "median of interleaved runs (exact, fast, torch at 1 and 2 threads in turn, 3 rounds); "
          + "warm-up >= 10 runs and >= 2 s, capped at 4 s for runs of seconds; >= 30 timed runs for short runs, "
          + ">= 3 for runs over 5 s; a libtorch setting predicted over 8 s per run is timed once after calibration"
          + (quick ? " (quick: 0.3 s warm-up, >= 9 runs)" : ""));
      out.put("R_note", "R = max|q|*max|k| (Cauchy-Schwarz bound on every score), the range the degree is chosen for");
      out.put("threads", options.threads());
      out.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
          + Runtime.getRuntime().availableProcessors() + " cpus");
      out.put("heap_pages", Memory.heapPages());
      if (peer != null) out.put("peer", Peer.LABEL);
      out.putArray("load_average").add(AttentionPoint.round(loadAtStart))
          .add(AttentionPoint.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      out.put("quick", quick);
      out.put("seed", SEED);
    } finally {
      if (peer != null) peer.close();
    }
    return out;
  }

  /** Least-squares slope of log(ms) against log(n) over the points; NaN with fewer than two. */
  static double slope(JsonNode points, String key) {
    List<double[]> xy = new ArrayList<>();
    for (JsonNode p : points) {
      if (p.has(key)) xy.add(new double[] {Math.log(p.get("n").asDouble()), Math.log(p.get(key).asDouble())});
    }
    if (xy.size() < 2) return Double.NaN;
    double mx = xy.stream().mapToDouble(a -> a[0]).average().orElse(0);
    double my = xy.stream().mapToDouble(a -> a[1]).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (double[] a : xy) {
      sxy += (a[0] - mx) * (a[1] - my);
      sxx += (a[0] - mx) * (a[0] - mx);
    }
    return sxy / sxx;
  }

  /**
   * The n at which fast and exact take equal time: log-log interpolation of exact/fast between the last grid point
   * where fast is slower and the next one; the smallest n if fast wins everywhere; NaN if it never wins.
   */
  static double crossover(JsonNode points) {
    double prevN = Double.NaN;
    double prevLogRatio = Double.NaN;
    double crossing = Double.NaN;
    for (JsonNode p : points) {
      double logRatio = Math.log(p.get("exact_ms").asDouble() / p.get("fast_ms").asDouble());
      double n = p.get("n").asDouble();
      if (logRatio <= 0) {
        crossing = Double.NaN; // fast not (yet) faster here: any earlier crossing did not hold
      } else if (Double.isNaN(crossing)) {
        crossing = Double.isNaN(prevN) ? n : Math.exp(Math.log(prevN) + (Math.log(n) - Math.log(prevN))
            * (-prevLogRatio) / (logRatio - prevLogRatio));
      }
      prevN = n;
      prevLogRatio = logRatio;
    }
    return crossing;
  }
}
