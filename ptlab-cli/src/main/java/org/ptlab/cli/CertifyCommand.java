package org.ptlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.io.Json;
import org.ptlab.io.data.Dataset;
import org.ptlab.io.data.Example;
import org.ptlab.io.data.InputKind;
import org.ptlab.nn.Transformer;
import org.ptlab.nn.TransformerConfig;
import org.ptlab.tensor.Tensor;
import org.ptlab.theory.Certificate;
import org.ptlab.theory.wang2023.LipschitzInvertibilityCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ptlab certify}: every certificate of Wang et al. (2023) that applies to a model and a dataset, each with
 * its value, and for each one that does not apply, the reason. Certificates come from
 * {@code org.ptlab.theory.wang2023}; this class only gathers inputs and prints.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Certify what prompt tuning cannot do on a model and dataset.",
    customSynopsis = "ptlab certify --model NAME|DIR --data FILE [--adapter DIR] [OPTIONS]",
    description = {
      "Prints a one-sentence verdict, then every certificate (shared-token-loss-bound, prompt-length-bound, "
          + "prompt-length-loss-bound, exact-lora-update, lipschitz, invertibility) with its value, or the reason it "
          + "does not apply (multi-head, layer norm, positional encodings, GELU, ell >= 1, token data, …). A certificate "
          + "that does not apply is an answer, not an error (exit 0); unreadable files exit 2. Loss bounds are given "
          + "as the paper's summed squared error and in ptlab eval's units (mean over positions and dimensions).",
      "--json prints {\"verdict\",\"certificates\":[{\"name\",\"applies\",\"value\",\"unit\",\"reason\","
          + "\"positions\",…}],…}."
    })
final class CertifyCommand implements Callable<Integer>, HelpLayout.OwnSections {
  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "the dataset (.jsonl with \"inputs\" [m, d] and per-position \"target\")")
  Path data;

  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--adapter", paramLabel = "DIR",
      description = "a prompt adapter (from ptlab tune --method prompt): its length and largest row norm set m_p and D0")
  Path adapter;

  @Option(names = "--radius", paramLabel = "D",
      description = "radius of the input tokens (largest token 2-norm); default: the data's largest")
  Double radius;

  @Option(names = "--prompt-radius", paramLabel = "D0",
      description = "radius of the prompt tokens; default: the adapter prompt's largest row norm, else D")
  Double promptRadius;

  @Option(names = "--prompt-length", paramLabel = "M_P",
      description = "prompt length for prompt-length-loss-bound; default: the adapter's (not computed without one)")
  Integer promptLength;

  @Option(names = "--lora-out", paramLabel = "DIR",
      description = "write the exact LoRA update (mlp_out) as an adapter folder, for ptlab eval to confirm")
  Path loraOut;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Data", List.of("--data"), "Certificates",
        List.of("--adapter", "--radius", "--prompt-radius", "--prompt-length"),
        "Output", List.of("--lora-out", "--json"));
  }

  @Override
  public Integer call() throws Exception {
    Dataset ds = new DataFiles(List.of()).read(data, model.tokenizer());
    TransformerConfig config = model.config();
    Transformer base = model.load(config);
    if (ds.inputKind() == InputKind.VECTORS) ds.validateFor(0, config.maxPositions(), config.dModel());
    PromptFacts prompt = PromptFacts.of(adapter, base);
    double d = radius != null ? checkRadius("--radius", radius) : largestTokenNorm(ds);
    double d0 = promptRadius != null ? checkRadius("--prompt-radius", promptRadius)
        : prompt.present() ? prompt.radius() : d;
    if (promptLength != null && promptLength < 1) throw new UserError("--prompt-length must be >= 1, got " + promptLength);
    if (loraOut != null) OutputFolder.check("--lora-out", loraOut);
    List<Certificate> certificates = new ArrayList<>(SharedTokenFamily.certify(base, model.model, ds,
        promptLength != null ? promptLength : prompt.present() ? prompt.length() : 0, loraOut));
    LipschitzInvertibilityCertificate li = LipschitzInvertibilityCertificate.certify(base, d, d0,
        Math.max(1, prompt.length()));
    certificates.add(li.lipschitz());
    certificates.add(li.invertibility());
    print(ds, d, d0, prompt, certificates);
    return 0;
  }

  private void print(Dataset ds, double d, double d0, PromptFacts prompt, List<Certificate> certificates) {
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("model", model.model);
      out.put("data", data.toString());
      out.put("n", ds.size());
      out.put("input_radius", d);
      out.put("prompt_radius", d0);
      out.put("prompt_length", prompt.present() ? prompt.length() : "any");
      out.put("verdict", Verdict.of(certificates));
      List<Map<String, Object>> list = new ArrayList<>();
      for (Certificate c : certificates) list.add(c.toMap());
      out.put("certificates", list);
      System.out.println(Json.write(out));
      return;
    }
    System.out.println(Verdict.of(certificates));
    System.out.printf(Locale.ROOT, "(%d examples, input radius D = %.6g, prompt radius D0 = %.6g, prompt length %s)%n",
        ds.size(), d, d0, prompt.present() ? String.valueOf(prompt.length()) : "any");
    for (Certificate c : certificates) {
      String value = !c.applies() ? "does not apply"
          : c.value() == Math.rint(c.value()) && Math.abs(c.value()) < 1e15
              ? String.format(Locale.ROOT, "%d %s", (long) c.value(), c.unit())
              : String.format(Locale.ROOT, "%.6g %s", c.value(), c.unit());
      System.out.printf(Locale.ROOT, "  %-24s %s%n  %-24s %s%n", c.name(), value, "", c.reason());
    }
  }

  /** max over examples and positions of ‖x_j‖₂ (vector inputs only). */
  private static double largestTokenNorm(Dataset ds) {
    if (ds.inputKind() != InputKind.VECTORS) {
      throw new UserError("--data: certificates need vector inputs (\"inputs\" [m, d]); token ids pass through an "
          + "embedding whose ball the certificates do not bound");
    }
    double max = 0;
    for (Example ex : ds.examples()) {
      for (double[] row : ex.inputs()) {
        double s = 0;
        for (double v : row) s += v * v;
        max = Math.max(max, Math.sqrt(s));
      }
    }
    return max;
  }

  private static double checkRadius(String option, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) throw new UserError(option + " must be a finite number >= 0, got " + v);
    return v;
  }

  /** The prompt of an adapter, if any: its rows [m_p, d], length and largest row norm. */
  record PromptFacts(Tensor rows, int length, double radius) {
    boolean present() {
      return rows != null;
    }

    static PromptFacts of(Path adapter, Transformer base) throws java.io.IOException {
      if (adapter == null) return new PromptFacts(null, 0, 0);
      Tensor p = AdapterPrompt.read(adapter, base);
      int m = p.dim(0);
      int d = p.dim(1);
      double max = 0;
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += p.get(i, j) * p.get(i, j);
        max = Math.max(max, Math.sqrt(s));
      }
      return new PromptFacts(p, m, max);
    }
  }
}
