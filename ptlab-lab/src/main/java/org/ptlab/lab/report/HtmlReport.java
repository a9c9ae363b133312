package org.ptlab.lab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.ptlab.io.AtomicFiles;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunRecord;
import org.ptlab.lab.run.Provenance;

/**
 * {@code report/index.html}: one self-contained page (figures inlined as base64 PNG; the PNG/SVG files are also
 * in {@code figures/}). Order: the summary of every claim with its source marker ([V]/[R]/[D]), bound (relation and
 * tolerance) and verdict (observations in neutral grey, never green or red), one section per experiment (figures,
 * results table, explanation, its run errors), then provenance. Sized for a laptop screen (max width 1200 px).
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Writes the page to {@code file} atomically. */
  public static void write(Path file, GridSize size, List<ReportSection> sections, Provenance prov, int threads,
      double totalSeconds) throws IOException {
    AtomicFiles.write(file, html(size, sections, prov, threads, totalSeconds));
  }

  /** The page. */
  public static String html(GridSize size, List<ReportSection> sections, Provenance prov, int threads,
      double totalSeconds) {
    StringBuilder sb = new StringBuilder(1 << 16);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>PTLab reproduction report</title>\n<style>").append(CSS).append("</style></head><body>\n");
    long claims = sections.stream().flatMap(s -> s.claims().stream()).filter(Claim::isTest).count();
    long passed = sections.stream().flatMap(s -> s.claims().stream()).filter(Claim::passed).count();
    long observations = sections.stream().flatMap(s -> s.claims().stream()).filter(c -> !c.isTest()).count();
    sb.append("<header><h1>PTLab reproduction report</h1><p class=\"meta\">")
        .append(Html.esc(size.label())).append(" grids · ").append(sections.size()).append(" experiment")
        .append(sections.size() == 1 ? "" : "s").append(" · <b>").append(passed).append(" of ").append(claims)
        .append(" claims hold</b>")
        .append(observations == 0 ? "" : " · " + observations + " observation" + (observations == 1 ? "" : "s"))
        .append(" · commit <code>").append(Html.esc(prov.commit())).append("</code> · ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("</p></header>\n");
    summary(sb, sections);
    for (ReportSection s : sections) section(sb, s);
    provenance(sb, sections, prov, threads, totalSeconds, size);
    return sb.append("</body></html>\n").toString();
  }

  private static void summary(StringBuilder sb, List<ReportSection> sections) {
    sb.append("<section><h2 id=\"claims\">Claims</h2>\n<p class=\"meta\">Each claim's source: <b>[V]</b> read in ")
        .append("the paper, <b>[R]</b> recalled (not re-checked against the full text), <b>[D]</b> derived here (an ")
        .append("implementation spec, not the paper's wording). The bound shows the relation and its tolerance. ")
        .append("An <i>observation</i> is a number the data cannot decide: shown with what is expected, never passed ")
        .append("or failed.</p>\n<table class=\"claims\"><thead><tr><th>experiment</th><th>paper &amp; section</th>")
        .append("<th>claim</th><th>measured</th><th>bound</th><th>verdict</th></tr></thead><tbody>\n");
    for (ReportSection s : sections) {
      Experiment e = s.experiment();
      boolean first = true;
      for (Claim c : s.claims()) {
        sb.append(c.isTest() ? "<tr>" : "<tr class=\"observation\">");
        if (first) { // experiment and paper once per experiment, spanning its claims
          String span = "<td rowspan=\"" + s.claims().size() + "\">";
          sb.append(span).append("<a href=\"#").append(Html.esc(e.id())).append("\">").append(Html.esc(e.id()))
              .append("</a></td>").append(span).append(Html.esc(e.paper())).append("</td>");
          first = false;
        }
        claimRow(sb, c);
      }
      if (s.claims().isEmpty()) {
        sb.append("<tr><td>").append(Html.esc(e.id())).append("</td><td>").append(Html.esc(e.paper()))
            .append("</td><td colspan=\"4\" class=\"note\">no claims</td></tr>\n");
      }
    }
    sb.append("</tbody></table></section>\n");
  }

  /** The cells of one claim: name with its source marker and statement, measured, bound, verdict. */
  static void claimRow(StringBuilder sb, Claim c) {
    sb.append("<td><b>").append(Html.esc(c.name())).append("</b> <span class=\"source\" title=\"")
        .append(Html.esc(SOURCE_TITLES.get(c.source()))).append("\">[").append(Html.esc(c.source().marker()))
        .append("]</span><br><span class=\"desc\">").append(Html.esc(c.statement())).append("</span>");
    if (!c.note().isEmpty()) sb.append("<br><span class=\"note\">").append(Html.esc(c.note())).append("</span>");
    sb.append("</td><td class=\"num\">").append(Html.num(c.measured())).append("</td><td class=\"num\">")
        .append(c.isTest() ? "" : "expected ").append(Html.esc(c.boundText(Html::num)))
        .append("</td><td><span class=\"verdict ").append(Html.esc(c.status())).append("\">")
        .append(Html.esc(c.isTest() ? c.status() : "observation")).append("</span></td></tr>\n");
  }

  private static final java.util.Map<Claim.Source, String> SOURCE_TITLES = java.util.Map.of(
      Claim.Source.PAPER, "read in the paper",
      Claim.Source.RECALLED, "recalled, not re-checked against the full text",
      Claim.Source.DERIVED, "derived here: an implementation spec, not the paper's wording");

  private static void section(StringBuilder sb, ReportSection s) {
    Experiment e = s.experiment();
    sb.append("<section class=\"experiment\"><h2 id=\"").append(Html.esc(e.id())).append("\">")
        .append(Html.esc(e.id())).append(" · ").append(Html.esc(e.title())).append("</h2>\n<p class=\"paper\">")
        .append(Html.esc(e.paper())).append("</p>\n<p class=\"explain\">").append(Html.esc(e.explanation()))
        .append("</p>\n");
    for (String p : s.problems()) sb.append("<p class=\"problem\">").append(Html.esc(p)).append("</p>\n");
    sb.append("<div class=\"figures\">\n");
    for (ReportSection.Figure f : s.figures()) {
      sb.append("<figure><img alt=\"").append(Html.esc(f.spec().title())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption>")
          .append(Html.esc(f.spec().caption())).append(" <a href=\"../figures/").append(Html.esc(f.spec().id()))
          .append(".svg\">SVG</a></figcaption></figure>\n");
    }
    sb.append("</div>\n<h3>Results</h3>\n").append(ResultsTable.html(e, s.results()));
    sb.append("<p class=\"meta\">Per-run numbers: <a href=\"../results/").append(Html.esc(e.id()))
        .append(".csv\">results/").append(Html.esc(e.id())).append(".csv</a> and <a href=\"../results/")
        .append(Html.esc(e.id())).append(".json\">.json</a>.</p>\n");
    List<RunRecord> failed = s.results().runs().stream().filter(r -> !r.done()).toList();
    if (!failed.isEmpty()) {
      sb.append("<h3>Runs that did not complete</h3><ul class=\"errors\">");
      for (RunRecord r : failed) {
        sb.append("<li><code>").append(Html.esc(r.configHash().substring(0, 12))).append(" #").append(r.repeat())
            .append("</code> ").append(Html.esc(r.status())).append(": <pre>").append(Html.esc(r.error()))
            .append("</pre></li>");
      }
      sb.append("</ul>\n");
    }
    sb.append("</section>\n");
  }

  private static void provenance(StringBuilder sb, List<ReportSection> sections, Provenance prov, int threads,
      double totalSeconds, GridSize size) {
    sb.append("<section><h2 id=\"provenance\">Provenance</h2>\n<table class=\"prov\"><tbody>\n");
    row(sb, "git commit", "<code>" + Html.esc(prov.commit()) + "</code>");
    row(sb, "JVM", Html.esc(prov.jvm()));
    row(sb, "machine", Html.esc(prov.os()) + ", " + prov.cores() + " cores, max heap " + prov.maxHeapMb() + " MB");
    row(sb, "threads", threads + " (results do not depend on it)");
    row(sb, "grid size", Html.esc(size.label()));
    row(sb, "seeds", "each run's seed derives from (experiment id, SHA-256 of its config, repeat); listed per run "
        + "in results/ID.csv");
    row(sb, "wall time, this invocation", Html.seconds(totalSeconds));
    sb.append("</tbody></table>\n<table class=\"results\"><thead><tr><th>experiment</th><th>runs done</th>")
        .append("<th>run now</th><th>repeats (seeds)</th><th>wall time now</th><th>compute time of all runs</th>")
        .append("<th>commits</th></tr></thead><tbody>\n");
    for (ReportSection s : sections) {
      double compute = s.results().done().stream().mapToDouble(RunRecord::seconds).filter(x -> !Double.isNaN(x))
          .sum();
      TreeSet<String> commits = new TreeSet<>();
      TreeSet<Integer> repeats = new TreeSet<>();
      for (RunRecord r : s.results().runs()) {
        commits.add(String.valueOf(r.commit()));
        repeats.add(r.repeat());
      }
      sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"num\">%d/%d</td><td class=\"num\">%d</td>"
          + "<td class=\"num\">%d</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td><code>%s</code></td>"
          + "</tr>%n", Html.esc(s.experiment().id()), s.results().done().size(), s.results().runs().size(), s.ranNow(),
          repeats.size(), Html.seconds(s.wallSeconds()), Html.seconds(compute), Html.esc(String.join(", ", commits))));
    }
    sb.append("</tbody></table></section>\n");
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("<tr><th>").append(Html.esc(k)).append("</th><td>").append(v).append("</td></tr>\n");
  }

  private static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:#1d1d1f;
        max-width:1200px;margin:0 auto;padding:18px 28px 60px;background:#fff}
      h1{font-size:26px;margin:6px 0 2px} h2{font-size:20px;margin:34px 0 6px;padding-top:8px;
        border-top:1px solid #ddd} h3{font-size:16px;margin:18px 0 6px}
      .meta{color:#555;margin:2px 0 8px} .paper{color:#555;margin:0 0 6px;font-style:italic}
      .explain{max-width:900px;margin:4px 0 12px} code{font-size:13px}
      table{border-collapse:collapse;margin:6px 0 10px;font-size:14px}
      th,td{border:1px solid #d8d8d8;padding:5px 9px;text-align:left;vertical-align:top}
      thead th{background:#f3f4f6} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      table.claims{width:100%} .desc{color:#333} .note{color:#777;font-size:13px} .sd{color:#777;font-size:12px}
      .verdict{display:inline-block;min-width:62px;text-align:center;border-radius:4px;padding:2px 8px;
        font-weight:600;color:#fff;font-size:13px}
      .verdict.passed{background:#1e8e3e} .verdict.failed{background:#c5221f}
      .verdict.error{background:#8e24aa} .verdict.skipped{background:#80868b}
      .verdict.observed{background:#fff;color:#3c4a5c;border:1px solid #9aa5b1;font-weight:500}
      tr.observation td{background:#fafbfc} .source{color:#555;font-size:12px;font-weight:600}
      .figures{display:flex;flex-wrap:wrap;gap:14px} figure{margin:0;flex:1 1 520px;max-width:580px}
      figure img{width:100%;height:auto;border:1px solid #eee}
      figcaption{font-size:13px;color:#444;margin-top:3px}
      .scroll{overflow-x:auto} .problem{color:#c5221f;font-weight:600}
      ul.errors pre{white-space:pre-wrap;font-size:12px;margin:2px 0 8px;background:#fafafa;padding:4px}
      table.prov th{background:#f3f4f6;width:220px}
      """;
}
