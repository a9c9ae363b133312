package org.ptlab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Claim.Source;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.reproduce.Reproduce;
import org.ptlab.lab.run.CountingExperiment;
import org.ptlab.lab.run.Progress;
import org.ptlab.lab.run.Provenance;

class HtmlReportTest {
  private static final CountingExperiment E = new CountingExperiment(2, 0, -1);

  private static ReportSection section(List<Claim> claims) {
    return new ReportSection(E, new org.ptlab.lab.Results("T1", GridSize.QUICK, List.of()), claims, List.of(), 1.0,
        0, List.of());
  }

  private static String page(List<Claim> claims) {
    return HtmlReport.html(GridSize.QUICK, List.of(section(claims)), Provenance.current(), 1, 1.0);
  }

  @Test
  void everyClaimAppearsWithItsVerdictToleranceAndSource() {
    List<Claim> claims = List.of(
        Claim.test("slope").says("Slope is 2.").source(Source.DERIVED).equalTo(2).within(0.25).measured(1.76),
        Claim.test("bad").says("Fails.").source(Source.PAPER).atMost(1).measured(2),
        Claim.test("none").says("No data.").source(Source.RECALLED).atLeast(0).skipped("no run"),
        Claim.observation("gap").says("A gap.").source(Source.RECALLED).atLeast(0).measured(-0.01));
    String html = page(claims);
    for (Claim c : claims) assertTrue(html.contains("<b>" + c.name() + "</b>"), c.name());
    assertTrue(html.contains("= 2 ± 0.25"), "the tolerance is shown, not '== 2'");
    assertTrue(html.contains("class=\"verdict passed\">passed"));
    assertTrue(html.contains("class=\"verdict failed\">failed"));
    assertTrue(html.contains("class=\"verdict skipped\">skipped"));
    assertTrue(html.contains("[D]</span>") && html.contains("[V]</span>") && html.contains("[R]</span>"));
    assertTrue(html.contains("1 of 3 claims hold</b> · 1 observation"), "observations are not counted as claims");
  }

  @Test
  void anObservationIsNeitherGreenNorRed() {
    String html = page(List.of(Claim.observation("gap").says("A gap.").source(Source.RECALLED).atLeast(0)
        .measured(0.05)));
    assertTrue(html.contains("<tr class=\"observation\">"));
    assertTrue(html.contains("class=\"verdict observed\">observation"));
    assertTrue(html.contains("expected ≥ 0"));
    assertFalse(html.contains("class=\"verdict passed\"") || html.contains("class=\"verdict failed\""));
  }

  @Test
  void textIsEscaped() {
    String html = page(List.of(Claim.test("x").says("a <b> & \"c\" <script>").source(Source.DERIVED).atMost(1)
        .skipped("<i>why</i>")));
    assertTrue(html.contains("a &lt;b&gt; &amp; &quot;c&quot; &lt;script&gt;"));
    assertTrue(html.contains("&lt;i&gt;why&lt;/i&gt;"));
    assertFalse(html.contains("<script>"));
  }

  @Test
  void figuresTheReportLinksExist(@TempDir Path dir) throws Exception {
    Reproduce.run(new Reproduce.Options(GridSize.QUICK, List.of(E), dir, 1, Progress.quiet()));
    String html = Files.readString(dir.resolve("report/index.html"));
    List<String> links = new ArrayList<>();
    Matcher m = Pattern.compile("href=\"\\.\\./([^\"]+)\"").matcher(html);
    while (m.find()) links.add(m.group(1));
    assertTrue(links.contains("figures/T1-values.svg"), links.toString());
    for (String link : links) assertTrue(Files.exists(dir.resolve(link)), link + " is linked but missing");
    assertTrue(Files.exists(dir.resolve("figures/T1-values.png")));
    assertEquals(2, Pattern.compile("<td><b>").matcher(html).results().count(), "both claims of T1 are listed");
  }
}
