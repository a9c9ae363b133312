package org.ptlab.lab.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * {@code results/ID.csv} (one row per run: identity, config, scalar metrics) and {@code results/ID.json} (the same
 * runs with artifacts, plus the claims and provenance). Both are written atomically.
 */
public final class Exports {
  private Exports() {}

  /** Writes both files for one experiment into {@code dir}. */
  public static void write(Path dir, Experiment e, Results results, List<Claim> claims, Provenance prov)
      throws IOException {
    AtomicFiles.write(dir.resolve(e.id() + ".csv"), csv(results));
    AtomicFiles.write(dir.resolve(e.id() + ".json"), Json.pretty(json(e, results, claims, prov)) + "\n");
  }

  /** The CSV text: fixed identity columns, then config keys and scalar metric keys in order of appearance. */
  public static String csv(Results results) {
    Set<String> configKeys = new LinkedHashSet<>();
    Set<String> metricKeys = new LinkedHashSet<>();
    for (RunRecord r : results.runs()) {
      configKeys.addAll(r.config().keySet());
      r.metrics().forEach((k, v) -> {
        if (!(v instanceof Map) && !(v instanceof List)) metricKeys.add(k);
      });
    }
    List<String> header = new ArrayList<>(List.of("experiment", "config_hash", "repeat", "seed", "status"));
    header.addAll(configKeys);
    header.addAll(metricKeys);
    header.addAll(List.of("seconds", "error"));
    StringBuilder sb = new StringBuilder();
    row(sb, header);
    for (RunRecord r : results.runs()) {
      List<String> cells = new ArrayList<>(List.of(r.experimentId(), r.configHash(), Integer.toString(r.repeat()),
          Long.toString(r.seed()), r.status()));
      for (String k : configKeys) cells.add(str(r.config().get(k)));
      for (String k : metricKeys) cells.add(str(r.metrics().get(k)));
      cells.add(Double.isNaN(r.seconds()) ? "" : String.format(java.util.Locale.ROOT, "%.3f", r.seconds()));
      cells.add(r.error() == null ? "" : r.error());
      row(sb, cells);
    }
    return sb.toString();
  }

  /** The JSON document of one experiment. */
  public static Map<String, Object> json(Experiment e, Results results, List<Claim> claims, Provenance prov) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("experiment", e.id());
    doc.put("title", e.title());
    doc.put("paper", e.paper());
    doc.put("size", results.size().label());
    doc.put("provenance", prov.toMap());
    doc.put("claims", claims.stream().map(Exports::claim).toList());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (RunRecord r : results.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("config_hash", r.configHash());
      m.put("config", r.config());
      m.put("repeat", r.repeat());
      m.put("seed", r.seed());
      m.put("status", r.status());
      m.put("metrics", r.metrics());
      m.put("artifacts", r.artifacts());
      m.put("error", r.error());
      m.put("started_at", r.startedAt());
      m.put("ended_at", r.endedAt());
      m.put("git_commit", r.commit());
      m.put("jvm", r.jvm());
      m.put("threads", r.threads());
      runs.add(m);
    }
    doc.put("runs", runs);
    return doc;
  }

  /**
   * A claim as JSON (non-finite numbers become null, which JSON can carry): DESIGN.md's name, measured, bound,
   * tolerance, passed, status, plus description, kind ("test" or "observation"), source ("V", "R" or "D") and
   * relation ({@code <=}, {@code >=}, {@code ==}).
   */
  public static Map<String, Object> claim(Claim c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("description", c.statement());
    m.put("kind", c.kind().label());
    m.put("source", c.source().marker());
    m.put("measured", finite(c.measured()));
    m.put("bound", finite(c.bound()));
    m.put("relation", c.relation().ascii());
    m.put("tolerance", finite(c.tolerance()));
    m.put("passed", c.passed());
    m.put("status", c.status());
    if (!c.note().isEmpty()) m.put("note", c.note());
    return m;
  }

  static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private static String str(Object v) {
    return v == null ? "" : v instanceof String s ? s : Json.canonical(v);
  }

  private static void row(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) sb.append(',');
      String c = cells.get(i);
      boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r");
      sb.append(quote ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
    }
    sb.append('\n');
  }
}
