package org.ptlab.lab.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.Results;
import org.ptlab.lab.report.Charts;
import org.ptlab.lab.report.HtmlReport;
import org.ptlab.lab.report.ReportSection;
import org.ptlab.lab.run.Exports;
import org.ptlab.lab.run.InProcessExecutor;
import org.ptlab.lab.run.Progress;
import org.ptlab.lab.run.Provenance;
import org.ptlab.lab.run.RunExecutor;
import org.ptlab.lab.run.RunStore;
import org.ptlab.lab.run.Sweep;

/**
 * Runs the experiments and writes everything under {@code out}: {@code runs.sqlite}, {@code results/ID.csv|json},
 * {@code figures/ID-*.png|svg} and {@code report/index.html}. Resumes: runs already done in the store are not
 * recomputed, so calling it again after a kill finishes the job.
 *
 * <pre>{@code
 * Reproduce.Outcome o = Reproduce.run(new Reproduce.Options(GridSize.QUICK, Experiments.all(), Path.of("out"), 2,
 *     new Progress(System.err, true)));
 * }</pre>
 */
public final class Reproduce {
  private Reproduce() {}

  /**
   * @param size which grids
   * @param experiments which experiments, in report order
   * @param out the output folder
   * @param threads runs in parallel (the in-process executor's pool)
   * @param progress the stderr progress bar (or a quiet one)
   */
  public record Options(GridSize size, List<Experiment> experiments, Path out, int threads, Progress progress) {}

  /**
   * What happened.
   *
   * @param sections one per experiment: results, claims, figures
   * @param summaries what each sweep ran now
   * @param report the HTML file
   * @param seconds total wall time
   */
  public record Outcome(List<ReportSection> sections, List<Sweep.Summary> summaries, Path report, double seconds) {
    /** True when some run of the grid is not done (it errored): the CLI then exits 1. */
    public boolean anyRunFailed() {
      return sections.stream().anyMatch(s -> s.results().runs().stream().anyMatch(r -> !r.done()));
    }
  }

  /** The whole pipeline with the in-process executor. */
  public static Outcome run(Options o) throws IOException, SQLException, InterruptedException {
    try (RunExecutor ex = new InProcessExecutor(o.threads())) {
      return run(o, ex);
    }
  }

  /** The whole pipeline on {@code executor} (tests and cluster executors pass their own). */
  public static Outcome run(Options o, RunExecutor executor) throws IOException, SQLException, InterruptedException {
    long t0 = System.nanoTime();
    Provenance prov = Provenance.current();
    List<ReportSection> sections = new ArrayList<>();
    List<Sweep.Summary> summaries = new ArrayList<>();
    try (RunStore store = RunStore.open(o.out().resolve("runs.sqlite"))) {
      for (Experiment e : o.experiments()) {
        Sweep.Summary sum = Sweep.run(e, o.size(), store, executor, prov, o.progress());
        summaries.add(sum);
        Results results = Sweep.results(e, o.size(), store);
        List<String> problems = new ArrayList<>();
        List<Claim> claims = claims(e, results, problems);
        List<ReportSection.Figure> figures = figures(e, results, o.out().resolve("figures"), problems);
        Exports.write(o.out().resolve("results"), e, results, claims, prov);
        sections.add(new ReportSection(e, results, claims, figures, sum.seconds(), sum.ran(), problems));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path report = o.out().resolve("report").resolve("index.html");
    HtmlReport.write(report, o.size(), sections, prov, executor.threads(), seconds);
    return new Outcome(sections, summaries, report, seconds);
  }

  /** The experiment's claims; if computing them throws, one {@code error} claim says so (never a silent gap). */
  static List<Claim> claims(Experiment e, Results results, List<String> problems) {
    try {
      return List.copyOf(e.claims(results));
    } catch (RuntimeException ex) {
      problems.add("claims could not be computed: " + ex);
      return List.of(Claim.error("claims", "the claims of " + e.id(), String.valueOf(ex)));
    }
  }

  /** Renders the experiment's figures into {@code dir}; a figure that fails is named in {@code problems}. */
  static List<ReportSection.Figure> figures(Experiment e, Results results, Path dir, List<String> problems) {
    List<FigureSpec> specs;
    try {
      specs = e.figures(results);
    } catch (RuntimeException ex) {
      problems.add("figures could not be built: " + ex);
      return List.of();
    }
    List<ReportSection.Figure> out = new ArrayList<>();
    for (FigureSpec spec : specs) {
      try {
        out.add(new ReportSection.Figure(spec, Charts.write(spec, dir)));
      } catch (IOException | RuntimeException ex) {
        problems.add("figure " + spec.id() + " could not be drawn: " + ex);
      }
    }
    return out;
  }
}
