package org.ptlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.ptlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ptlab bench engine|attention|model [--json]}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Run a benchmark suite (engine, attention or model), print results.",
    customSynopsis = "ptlab bench engine|attention|model [OPTIONS]",
    description = {
      "Prints a table, or one JSON object with --json.",
      "Suites: engine (matmul GFLOP/s; prompt-tuning steps of the DESIGN.md workloads vs libtorch 2.7.1 via DJL), "
          + "attention (exact vs polynomial-method attention, n = 2^8..2^16), model (the real all-MiniLM-L6-v2: "
          + "forward sentences/s vs ONNX Runtime, prompt-tuning and LoRA steps vs libtorch).",
      "The launcher builds the ptlab-bench module on first use (it downloads libtorch from Maven Central once). "
          + "Timing: >= 10 warm-up steps and >= 2 s, then the median of >= 30 steps."
    })
final class BenchCommand implements Callable<Integer>, HelpLayout.OwnSections {
  /** The suites ptlab-bench provides: a typo is named as such even where that module is not built. */
  private static final List<String> SUITES = List.of("engine", "attention", "model");

  @Parameters(index = "0", paramLabel = "SUITE", description = "engine, attention or model")
  String suite;

  @Option(names = "--threads", paramLabel = "N", description = "compute threads (default: ${DEFAULT-VALUE})", defaultValue = "2")
  int threads;

  @Option(names = "--quick", description = "fewer timed steps (a smoke run, numbers are noisier)")
  boolean quick;

  @Option(names = "--only", paramLabel = "ITEMS", description = "comma-separated subset of the suite's items (e.g. tiny,small)")
  String only;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Override
  public Map<String, List<String>> ownSections() {
    return Map.of("Run", List.of("--threads", "--quick", "--only"), "Output", List.of("--json"));
  }

  @Override
  public Integer call() throws Exception {
    if (threads < 1) throw new UserError("--threads must be >= 1, got " + threads);
    TreeMap<String, Benchmark> found = new TreeMap<>();
    for (Benchmark b : ServiceLoader.load(Benchmark.class)) found.put(b.name(), b);
    Benchmark b = found.get(suite);
    if (b == null) {
      if (!SUITES.contains(suite)) throw new UserError("unknown suite '" + suite + "'; the suites are " + SUITES);
      if (found.isEmpty()) {
        throw new UserError("no benchmark suites on the classpath: run it through ./ptlab, which builds the "
            + "ptlab-bench module (mvn -Pbench)");
      }
      throw new UserError("unknown suite '" + suite + "'; available: " + String.join(", ", found.keySet()));
    }
    System.setProperty("ptlab.threads", Integer.toString(threads));
    ObjectNode result = b.run(new Benchmark.BenchOptions(threads, quick, only), System.err);
    ObjectMapper om = Json.MAPPER;
    if (json) {
      System.out.println(om.writeValueAsString(result));
    } else {
      System.out.println(om.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }
    return 0;
  }
}
