package org.ptlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.AtomicFiles;
import org.ptlab.io.Json;
import org.ptlab.io.model.ModelFiles;
import org.ptlab.theory.Certificate;
import org.ptlab.theory.wang2023.SharedTokenConstruction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ptlab construct shared-token}: Wang et al. §2.2's dataset that no prompt of any length can memorize, on a
 * seeded single-layer model (preset {@code paper} with d, r), written as a model folder and {@code DIR/data.jsonl}.
 */
@Command(name = "shared-token", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Build Wang et al.'s dataset that no prompt can memorize.",
    customSynopsis = "ptlab construct shared-token --out DIR [--d D --r R --ell ELL --alpha ALPHA --seed N] [--json]",
    description = {
      "Two examples share the token x0 while their targets are pulled apart by alpha, on a seeded one-layer model "
          + "(preset paper with d, r) whose MLP has Lipschitz product ell = ||W2||·||W1|| (< 1: injective). Writes "
          + "DIR/config.json + DIR/model.safetensors and DIR/data.jsonl, then prints the certified lower bound on the "
          + "loss of every prompt of every length (summed as in the paper and in ptlab eval's units).",
      "Then try: ptlab tune --model DIR --method prompt --data DIR/data.jsonl --out RUN, and ptlab certify."
    })
final class ConstructSharedTokenCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Option(names = "--d", paramLabel = "D", defaultValue = "6", description = "token width d (default: ${DEFAULT-VALUE})")
  int d;

  @Option(names = "--r", paramLabel = "R", defaultValue = "12", description = "MLP hidden width r (default: ${DEFAULT-VALUE})")
  int r;

  @Option(names = "--ell", paramLabel = "ELL", defaultValue = "0.6",
      description = "Lipschitz product ||W2||·||W1|| of the MLP; < 1 makes it injective (default: ${DEFAULT-VALUE})")
  double ell;

  @Option(names = "--alpha", paramLabel = "ALPHA", defaultValue = "1.5",
      description = "how far the two targets are pulled apart, in units of b1 − b2 (default: ${DEFAULT-VALUE})")
  double alpha;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed of the weights and data (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (model + data.jsonl)")
  Path out;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Construction", List.of("--d", "--r", "--ell", "--alpha", "--seed"), "Output", List.of("--out", "--json"));
  }

  @Override
  public Integer call() throws Exception {
    SharedTokenConstruction c = SharedTokenConstruction.build(d, r, ell, alpha, seed); // validates before writing
    OutputFolder.check("--out", out);
    ModelFiles.save(c.model(), out, Map.of("format", "pt", "construction", "wang2023 shared-token"));
    AtomicFiles.write(out.resolve("data.jsonl"), jsonl(c.inputs(), c.targets()));
    Map<String, Object> facts = facts(c);
    if (json) {
      System.out.println(Json.write(facts));
    } else {
      Certificate b = c.certificate();
      System.out.printf(Locale.ROOT, "built %s (d = %d, r = %d, ell = %.6g, alpha = %.6g, ||b1 - b2|| = %.6g)%n",
          out, d, r, c.ell(), c.alpha(), c.deltaNorm());
      System.out.println(b.applies()
          ? String.format(Locale.ROOT, "no prompt of any length can bring the loss below %.6g (sum of squared errors; "
              + "%.6g in ptlab eval's units); closed form (1-ell)^2 alpha^2 ||b1-b2||^2 = %.6g", b.value(),
              (Double) b.details().get("eval_loss"), c.closedFormSse())
          : "the loss bound does not apply: " + b.reason());
    }
    return 0;
  }

  private Map<String, Object> facts(SharedTokenConstruction c) {
    Certificate b = c.certificate();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("out", out.toString());
    m.put("d", d);
    m.put("r", r);
    m.put("ell", c.ell());
    m.put("alpha", c.alpha());
    m.put("b_diff_norm", c.deltaNorm());
    m.put("closed_form_sse", Double.isFinite(c.closedFormSse()) ? c.closedFormSse() : null);
    m.put("closed_form_eval_loss", Double.isFinite(c.closedFormSse()) ? c.closedFormEvalLoss() : null);
    m.put("bound", b.toMap());
    return m;
  }

  /** One JSONL line per example: {"inputs": [m][d], "target": [m][d]} (the per-position regression format). */
  private static String jsonl(double[][][] inputs, double[][][] targets) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < inputs.length; i++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("inputs", rows(inputs[i]));
      line.put("target", rows(targets[i]));
      s.append(Json.write(line)).append('\n');
    }
    return s.toString();
  }

  private static List<List<Double>> rows(double[][] m) {
    List<List<Double>> out = new ArrayList<>();
    for (double[] row : m) {
      List<Double> r = new ArrayList<>();
      for (double v : row) r.add(v);
      out.add(r);
    }
    return out;
  }
}
