package org.ptlab.lab.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.lab.Experiments;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.run.CountingExperiment;
import org.ptlab.lab.run.Progress;

/** The whole pipeline on a test experiment and the demo's smoke grid: files, report content, resume. */
class ReproduceTest {
  @Test
  void writesResultsFiguresAndAReportWithTheClaimsTable(@TempDir Path out) throws Exception {
    List<org.ptlab.lab.Experiment> exps = List.of(Experiments.select(Experiments.all(), "D0").get(0),
        new CountingExperiment(3, 0, 1));
    Reproduce.Outcome o = Reproduce.run(new Reproduce.Options(GridSize.SMOKE, exps, out, 2, Progress.quiet()));
    assertTrue(o.anyRunFailed(), "config 1 of T1 fails on purpose");

    for (String f : List.of("results/D0.csv", "results/D0.json", "results/T1.csv", "results/T1.json",
        "figures/D0-loss-vs-params.svg", "figures/D0-loss-curves.svg", "figures/T1-values.svg", "runs.sqlite")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    byte[] png = Files.readAllBytes(out.resolve("figures/D0-loss-vs-params.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    assertTrue(Files.readString(out.resolve("figures/T1-values.svg")).contains("<svg"));

    String html = Files.readString(out.resolve("report/index.html"), StandardCharsets.UTF_8);
    int claims = html.indexOf("<table class=\"claims\">");
    int firstSection = html.indexOf("<section class=\"experiment\">");
    int provenance = html.indexOf("id=\"provenance\"");
    assertTrue(claims > 0 && claims < firstSection && firstSection < provenance, "claims, sections, provenance");
    for (String s : List.of("prompt-fits-at-teacher-length", "values-below-one", "impossible",
        "<span class=\"verdict failed\">failed</span>", "<span class=\"verdict passed\">passed</span>",
        "data:image/png;base64,", "Runs that did not complete", "fails on purpose", "git commit", "threads")) {
      assertTrue(html.contains(s), s);
    }

    Reproduce.Outcome again = Reproduce.run(new Reproduce.Options(GridSize.SMOKE, exps, out, 1, Progress.quiet()));
    assertEquals(0, again.summaries().get(0).ran(), "D0 was complete: nothing recomputed");
    assertEquals(2, again.summaries().get(1).ran(), "only T1's two errored runs are retried");
    assertFalse(Files.list(out.resolve("report")).anyMatch(p -> p.toString().endsWith(".tmp")));
  }
}
