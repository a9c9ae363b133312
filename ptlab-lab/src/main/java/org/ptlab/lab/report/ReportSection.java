package org.ptlab.lab.report;

import java.util.List;
import org.ptlab.lab.Claim;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.FigureSpec;
import org.ptlab.lab.Results;

/**
 * Everything the page shows about one experiment.
 *
 * @param experiment the experiment (id, title, paper, explanation)
 * @param results its runs at the chosen size
 * @param claims its claim verdicts
 * @param figures rendered figures (spec plus PNG bytes to inline)
 * @param wallSeconds wall time of this invocation's sweep
 * @param ranNow runs executed by this invocation (the rest came from the store)
 * @param problems what went wrong while building figures or claims (shown in the section), empty if nothing
 */
public record ReportSection(Experiment experiment, Results results, List<Claim> claims, List<Figure> figures,
    double wallSeconds, int ranNow, List<String> problems) {
  public ReportSection {
    claims = List.copyOf(claims);
    figures = List.copyOf(figures);
    problems = List.copyOf(problems);
  }

  /** A rendered figure. */
  public record Figure(FigureSpec spec, byte[] png) {}
}
