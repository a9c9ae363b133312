package org.ptlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.Json;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.Experiments;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.report.ReportSection;
import org.ptlab.lab.reproduce.Reproduce;
import org.ptlab.lab.run.Exports;
import org.ptlab.lab.run.Progress;
import org.ptlab.lab.run.RunEngines;
import org.ptlab.lab.run.RunExecutor;
import org.ptlab.lab.run.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ptlab reproduce [--quick|--full] [--only IDS] [--out DIR] [--threads N] [--engine in-process|spark
 * [--master URL]] [--json] [--quiet] [--list]}: runs
 * the experiments (resuming from {@code DIR/runs.sqlite}) and writes the report. Exit 0 when every run completed,
 * whatever the claims say; 1 when a run errored; 2 on bad input.
 */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    header = "Run the experiments and write their report, results and figures.",
    customSynopsis = "ptlab reproduce [--quick|--full] [--only IDS] [--out DIR] [OPTIONS]",
    description = {
      "Writes DIR/report/index.html, DIR/results/ID.csv|json and DIR/figures/*.png|svg. Each run is stored in "
          + "DIR/runs.sqlite when it finishes; the same command again skips finished runs, so an interrupted "
          + "reproduce resumes.",
      "Failed claims are results (shown in red), not errors. Exit: 0 every run completed, 1 a run errored (see the "
          + "report), 2 bad input."
    })
final class ReproduceCommand implements Callable<Integer>, HelpLayout.OwnSections {
  /** Held so the level set on it sticks (java.util.logging keeps loggers weakly). */
  private static final java.util.logging.Logger THEORY_LOG = java.util.logging.Logger.getLogger("org.ptlab.theory");

  @Option(names = "--quick", description = "the quick grids (the default): all experiments within 15 min on 2 cores")
  boolean quick;

  @Option(names = "--full", description = "the paper-scale grids")
  boolean full;

  /** Test-only: {@code --size smoke} runs a run or two per experiment so end-to-end tests take seconds. */
  @Option(names = "--size", paramLabel = "SIZE", hidden = true, description = "smoke|quick|full (smoke is for tests: numbers mean nothing)")
  String size;

  @Option(names = "--only", paramLabel = "IDS", description = "comma-separated experiment ids, e.g. E1,E3")
  String only;

  @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: ${DEFAULT-VALUE})",
      defaultValue = "out")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "runs in parallel, and the engine's thread pool "
      + "(default: the number of cores); results do not depend on it")
  Integer threads;

  @Option(names = "--repeats", paramLabel = "N", description = "run every config with N seeds instead of the "
      + "experiment's own number (runs already in the store are reused: a quick run then --repeats 3 adds two seeds)")
  Integer repeats;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "in-process", description = "where runs "
      + "execute: in-process (the default) or spark (module ptlab-spark, built by ./ptlab on demand); same results")
  String engine;

  @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: local[N] (default: "
      + "local[threads]), spark://HOST:7077, yarn, k8s://https://HOST:6443")
  String master;

  @Option(names = "--json", description = "print one JSON object on stdout (progress still goes to stderr)")
  boolean json;

  @Option(names = "--quiet", description = "no progress bars")
  boolean quiet;

  @Option(names = "--list", description = "print the registered experiments and exit")
  boolean list;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Experiments", List.of("--quick", "--full", "--only", "--repeats", "--threads", "--engine",
        "--master"),
        "Output", List.of("--out", "--json", "--quiet", "--list"));
  }

  @Override
  public Integer call() throws Exception {
    THEORY_LOG.setLevel(java.util.logging.Level.WARNING); // kernel decisions are in the results, not between bars
    List<Experiment> all = Experiments.all();
    if (list) return list(all);
    GridSize chosen = size();
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) throw new UserError("--threads must be >= 1, got " + n);
    if (only != null && only.isBlank()) throw new UserError("--only is empty: name experiment ids, e.g. E1,E3");
    List<Experiment> selected;
    try {
      selected = Experiments.select(all, only);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (repeats != null) {
      if (repeats < 1) throw new UserError("--repeats must be >= 1, got " + repeats);
      selected = selected.stream().map(e -> (Experiment) new org.ptlab.lab.RepeatedExperiment(e, repeats)).toList();
    }
    // a link in OUT (runs.sqlite → another database) would make reproduce write into files it did not make
    org.ptlab.io.RunFolder.refuseLinks(out, "runs.sqlite", "runs.sqlite-wal", "runs.sqlite-shm", "runs.sqlite-journal",
        "report", "results", "figures");
    checkWritable(out);
    if (System.getProperty("ptlab.threads") == null) System.setProperty("ptlab.threads", Integer.toString(n));
    Reproduce.Outcome o;
    try (RunExecutor executor = openEngine(n)) {
      o = Reproduce.run(new Reproduce.Options(chosen, selected, out, n, new Progress(System.err, !quiet)), executor);
    }
    PrintStream stdout = System.out;
    if (json) {
      stdout.println(Json.write(jsonSummary(o, chosen, n)));
    } else {
      human(stdout, o);
    }
    if (o.anyRunFailed()) {
      System.err.println("ptlab reproduce: some runs failed (their errors are in " + o.report() + "); run the "
          + "command again to retry them");
      return 1;
    }
    return 0;
  }

  private RunExecutor openEngine(int n) {
    try {
      return RunEngines.open(engine, master, n, threads != null);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private GridSize size() {
    int flags = (quick ? 1 : 0) + (full ? 1 : 0) + (size != null ? 1 : 0);
    if (flags > 1) throw new UserError("choose one of --quick, --full (and --size)");
    if (size != null) {
      try {
        return GridSize.parse(size);
      } catch (IllegalArgumentException e) {
        throw new UserError("--size: " + e.getMessage());
      }
    }
    return full ? GridSize.FULL : GridSize.QUICK;
  }

  /** Bad --out is bad input (exit 2), found before any run starts rather than after an hour. */
  static void checkWritable(Path dir) throws IOException {
    OutputFolder.check("--out", dir);
    Path store = dir.resolve("runs.sqlite");
    if (Files.isRegularFile(store) && Files.size(store) > 0) { // an empty file is a new database to SQLite
      byte[] head = new byte[16];
      try (java.io.InputStream in = Files.newInputStream(store)) {
        int n = in.readNBytes(head, 0, head.length);
        if (n < 16 || !new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
          throw new UserError("--out: " + store + " is not a run store (not an SQLite database); move it away or "
              + "choose another --out");
        }
      }
    }
  }

  private int list(List<Experiment> all) {
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Experiment e : all) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("title", e.title());
        row.put("paper", e.paper());
        rows.add(row);
      }
      System.out.println(Json.write(Map.of("experiments", rows)));
    } else {
      for (Experiment e : all) System.out.printf(Locale.ROOT, "%-4s %s%n     %s%n", e.id(), e.title(), e.paper());
    }
    return 0;
  }

  static Map<String, Object> jsonSummary(Reproduce.Outcome o, GridSize size, int threads) {
    List<Map<String, Object>> exps = new ArrayList<>();
    for (int i = 0; i < o.sections().size(); i++) {
      ReportSection s = o.sections().get(i);
      Sweep.Summary sum = o.summaries().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.experiment().id());
      m.put("title", s.experiment().title());
      m.put("runs", sum.total());
      m.put("ran", sum.ran());
      m.put("skipped", sum.skipped());
      m.put("errors", s.results().runs().stream().filter(r -> !r.done()).count());
      m.put("seconds", sum.seconds());
      m.put("claims", s.claims().stream().map(Exports::claim).toList());
      exps.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("experiments", exps);
    doc.put("report", o.report().toString());
    doc.put("size", size.label());
    doc.put("threads", threads);
    doc.put("seconds", o.seconds());
    return doc;
  }

  private static void human(PrintStream out, Reproduce.Outcome o) {
    for (int i = 0; i < o.sections().size(); i++) {
      ReportSection s = o.sections().get(i);
      Sweep.Summary sum = o.summaries().get(i);
      out.printf(Locale.ROOT, "%s  %s%n    %d runs (%d run now, %d from the store), %.1f s%n", s.experiment().id(),
          s.experiment().title(), sum.total(), sum.ran(), sum.skipped(), sum.seconds());
      for (Claim c : s.claims()) {
        out.printf(Locale.ROOT, "    %-8s %-34s measured %-10s %s%s%n", c.status(), c.name(), fmt(c.measured()),
            c.isTest() ? "" : "expected ", c.boundText(ReproduceCommand::fmt));
      }
    }
    out.println("report: " + o.report());
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%.3g", x);
  }
}
