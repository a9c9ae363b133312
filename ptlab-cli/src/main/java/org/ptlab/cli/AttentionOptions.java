package org.ptlab.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.attention.AttentionKernel;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.hu2025.AutoAttentionKernel;
import org.ptlab.theory.hu2025.CostModel;
import org.ptlab.theory.hu2025.ObservedAttentionKernel;
import org.ptlab.theory.hu2025.PolynomialAttentionKernel;
import picocli.CommandLine.Option;

/**
 * {@code --attention exact|polynomial|auto [--attention-tolerance DELTA]} of {@code tune} and {@code eval}: which
 * attention kernel every layer of the model runs, and the certified error the fast path must meet. Every call's
 * choice is collected in an {@link AttentionReport} (stderr lines, and an "attention" object in the results).
 */
final class AttentionOptions implements HelpLayout.Section {
  /** The default δ: a few float32 ulps of values of order 1 (ulp 1.2e-7), far below training noise. */
  static final String DEFAULT_TOLERANCE = "1e-6";

  @Option(names = "--attention", paramLabel = "KERNEL", defaultValue = "exact",
      description = {"attention kernel of every layer (default: ${DEFAULT-VALUE}):",
          "exact: the engine's softmax attention;",
          "polynomial: the Alman-Song polynomial method (almost linear in the sequence length) on every call, with a "
              + "certified max-norm output error <= --attention-tolerance; its backward pass is the certified fast "
              + "gradient (no n x n matrix), not exact autograd; causal masks run exact;",
          "auto: per call, the polynomial path only where its certificate meets the tolerance and the cost model "
              + "predicts it faster (small prompt-induced keys and queries, long sequences), else exact. The choices "
              + "are logged to stderr and counted in the results' \"attention\" object"})
  String kernel;

  @Option(names = "--attention-tolerance", paramLabel = "DELTA", defaultValue = DEFAULT_TOLERANCE,
      description = "the largest certified max-norm error |fast - exact| of an attention output the polynomial path "
          + "may have, per call and head (it sets the degree; auto goes exact where it cannot be met). The default "
          + "${DEFAULT-VALUE} is a few float32 ulps of outputs of order 1")
  double tolerance;

  @Override
  public String heading() {
    return "Attention";
  }

  /** Whether the plain exact kernel was asked for (no fast-path decisions to report). */
  boolean exact() {
    return kernel.equalsIgnoreCase("exact");
  }

  /** Sets the kernel on {@code model}; its calls are reported to the returned report (lines on {@code log}, or none). */
  AttentionReport install(Transformer model, PrintStream log) {
    if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
      throw new UserError("--attention-tolerance must be a positive number, got " + tolerance);
    }
    String k = kernel.toLowerCase(Locale.ROOT);
    AttentionReport report = new AttentionReport(k, k.equals("exact") ? Double.NaN : tolerance, log);
    ObservedAttentionKernel fast = switch (k) {
      case "exact" -> null;
      case "polynomial" -> PolynomialAttentionKernel.tolerance(tolerance);
      case "auto" -> new AutoAttentionKernel(tolerance, CostModel.DEFAULT);
      default -> throw new UserError("--attention must be exact, polynomial or auto, got '" + kernel + "'");
    };
    if (fast == null) {
      model.setAttentionKernel(new AttentionKernel() { // the engine's kernel, counted
        @Override
        public Tensor attend(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask, boolean causal) {
          report.exactCall();
          return AttentionKernel.EXACT.attend(q, k, v, heads, scale, mask, causal);
        }

        @Override
        public String name() {
          return "exact";
        }
      });
    } else {
      AttentionReport.quietLibraryLog(); // the report prints its own lines
      fast.addListener(report);
      model.setAttentionKernel(fast);
    }
    return report;
  }
}
