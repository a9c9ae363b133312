package org.ptlab.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.Results;
import org.ptlab.lab.RunRecord;

/**
 * The per-experiment results table: one row per config, its config values, how many repeats completed, and each
 * numeric metric as the mean over repeats (± sample standard deviation when there are several). The per-run
 * numbers are in {@code results/ID.csv}.
 */
final class ResultsTable {
  private ResultsTable() {}

  static String html(Experiment e, Results results) {
    Set<String> configKeys = new LinkedHashSet<>();
    for (RunRecord r : results.runs()) configKeys.addAll(r.config().keySet());
    List<String> metrics = metricColumns(e, results);
    StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table class=\"results\"><thead><tr>");
    for (String k : configKeys) sb.append("<th>").append(Html.esc(k)).append("</th>");
    sb.append("<th>runs</th>");
    for (String m : metrics) sb.append("<th>").append(Html.esc(m)).append("</th>");
    sb.append("</tr></thead><tbody>\n");
    List<String> seen = new ArrayList<>();
    for (RunRecord first : results.runs()) {
      if (seen.contains(first.configHash())) continue;
      seen.add(first.configHash());
      List<RunRecord> all = results.runs().stream().filter(r -> r.configHash().equals(first.configHash())).toList();
      List<RunRecord> done = all.stream().filter(RunRecord::done).toList();
      sb.append("<tr>");
      for (String k : configKeys) sb.append("<td>").append(Html.value(first.config().get(k))).append("</td>");
      sb.append("<td class=\"num\">").append(done.size()).append('/').append(all.size()).append("</td>");
      for (String m : metrics) sb.append("<td class=\"num\">").append(cell(done, m)).append("</td>");
      sb.append("</tr>\n");
    }
    return sb.append("</tbody></table></div>\n").toString();
  }

  /** The experiment's chosen columns, else every metric whose value is a number. */
  static List<String> metricColumns(Experiment e, Results results) {
    if (!e.tableMetrics().isEmpty()) return e.tableMetrics();
    Set<String> keys = new LinkedHashSet<>();
    for (RunRecord r : results.done()) {
      for (Map.Entry<String, Object> en : r.metrics().entrySet()) {
        if (en.getValue() instanceof Number) keys.add(en.getKey());
      }
    }
    return new ArrayList<>(keys);
  }

  private static String cell(List<RunRecord> runs, String metric) {
    double[] xs = runs.stream().mapToDouble(r -> r.metric(metric)).filter(x -> !Double.isNaN(x)).toArray();
    if (xs.length == 0) {
      Object v = runs.isEmpty() ? null : runs.get(0).metrics().get(metric);
      return v == null ? "—" : Html.value(v);
    }
    double mean = Results.mean(xs);
    if (xs.length == 1) return Html.num(mean);
    double ss = 0;
    for (double x : xs) ss += (x - mean) * (x - mean);
    double sd = Math.sqrt(ss / (xs.length - 1));
    return sd == 0 ? Html.num(mean) : Html.num(mean) + " <span class=\"sd\">± " + Html.num(sd) + "</span>";
  }
}
