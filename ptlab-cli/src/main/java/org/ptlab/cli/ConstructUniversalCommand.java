package org.ptlab.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptlab.theory.hu2025.QuantizedFamily;
import org.ptlab.theory.hu2025.UniversalConstruction;
import org.ptlab.theory.hu2025.UniversalResult;
import org.ptlab.tuning.AdapterJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ptlab construct universal}: Hu et al.'s one-layer, one-head universality construction (ICLR 2025, Thms
 * 2.2–2.3) for the whole quantized family F̄ at d, L, δ = δ_out = δ_P, verified on every grid cell of every member.
 * The construction itself lives in {@code org.ptlab.theory.hu2025}; this class only parses, prints and saves.
 */
@Command(name = "universal", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Build and verify Hu et al.'s one-layer universality construction.",
    customSynopsis = "ptlab construct universal --d D --L L --delta DELTA [--out DIR] [--member I[,I...]] [--json]",
    description = {
      "Builds Hu et al.'s universality construction (ICLR 2025, Thm 2.3) for every function of the quantized family "
          + "F̄: inputs on the grid {0, δ, …, 1−δ}^{L×d}, outputs on the same grid (δ_out = δ_P = δ). One frozen "
          + "transformer (a quantizer MLP block, one attention head of size 1, a lookup MLP) plus one prompt of "
          + "L_p = ⌈log|F̄|/(d·log(1/δ))⌉ tokens per function; every function is checked on every grid cell.",
      "Prints prompt_length (L_p), ffn_width (the lookup's interpolation units: distinct context ids − 1), "
          + "min_id_gap (smallest gap between context ids), max_error (largest |output − f̄| over functions, cells and "
          + "entries) and verified (max_error ≤ 1e-8).",
      "With --out DIR: DIR/model (config.json + model.safetensors, float64), DIR/adapters/member-<i> (PEFT's "
          + "PROMPT_TUNING layout), DIR/data/member-<i>.jsonl (every grid cell with f̄'s output) for each --member, and "
          + "DIR/construction.json. Then, e.g.: ptlab eval --model DIR/model --adapter DIR/adapters/member-<i> --data "
          + "DIR/data/member-<i>.jsonl",
      "The family has (1/δ)^{dL·(1/δ)^{dL}} members: only tiny d, L, δ fit (d=1 L=2 δ=1/2: 256; d=2 L=1 δ=1/2: 256; "
          + "d=1 L=1 δ=1/4: 256). Sizes that do not fit are refused up front with the size they would need."
    })
final class ConstructUniversalCommand implements Callable<Integer>, HelpLayout.OwnSections {
  /** Families up to this many members get every member's adapter written; larger ones only the --member ones. */
  static final int ALL_ADAPTERS_UP_TO = 4096;

  @Option(names = "--d", required = true, paramLabel = "D", description = "token dimension d (>= 1)")
  int d;

  @Option(names = "--L", required = true, paramLabel = "L", description = "input length L (>= 1)")
  int L;

  @Option(names = "--delta", required = true, paramLabel = "DELTA", description = "grid step δ = 1/k, k an integer >= 2 (also δ_out and δ_P)")
  double delta;

  @Option(names = "--out", paramLabel = "DIR", description = "save model, adapters, data (DIR must not exist or be empty)")
  Path out;

  @Option(names = "--member", paramLabel = "I", split = ",",
      description = "members whose grid data (and adapter, for large families) to write (default: ⌊|F̄|/2⌋)")
  List<BigInteger> members;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Construction", List.of("--d", "--L", "--delta"), "Output", List.of("--out", "--member", "--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (d < 1) throw new UserError("--d must be >= 1, got " + d);
    if (L < 1) throw new UserError("--L must be >= 1, got " + L);
    QuantizedFamily fam = QuantizedFamily.of(d, L, delta, delta, delta); // δ not 1/k: one-line error
    List<BigInteger> chosen = members == null ? List.of(fam.familySize().shiftRight(1)) : members;
    for (BigInteger m : chosen) {
      if (m.signum() < 0 || m.compareTo(fam.familySize()) >= 0) {
        throw new UserError("--member must be in [0, " + fam.familySize() + "), got " + m);
      }
    }
    if (out != null) {
      OutputFolder.check("--out", out);
      ConstructionFiles.requireFreshTarget(out);
    }
    UniversalResult r = UniversalConstruction.family(fam); // refuses sizes that do not fit, naming the size
    Map<String, Object> summary = new LinkedHashMap<>(r.summary());
    if (out != null && r.verified()) ConstructionFiles.write(r, out, chosen, ALL_ADAPTERS_UP_TO);
    if (json) {
      System.out.println(AdapterJson.compact(AdapterJson.MAPPER.valueToTree(summary)));
    } else {
      System.out.printf(java.util.Locale.ROOT,
          "universal d=%d L=%d δ=1/%d: |F̄| = %s functions, L_p = %d, FF2 width %d, min id gap %.3e, max error %.3e, %s%n",
          d, L, fam.levels(), fam.familySize(), r.promptLength(), r.ffnWidth(), r.minIdGap(), r.maxError(),
          r.verified() ? "verified" : "NOT verified");
      if (out != null && r.verified()) System.out.println("saved → " + out);
    }
    if (!r.verified()) {
      System.err.println("ptlab construct universal: verification failed (max error " + r.maxError()
          + " > " + UniversalConstruction.TOLERANCE + "); nothing written");
      return 1;
    }
    return 0;
  }
}
