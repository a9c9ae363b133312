package org.ptlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * A benchmark suite behind {@code ptlab bench NAME}. Implementations live in the {@code ptlab-bench} module
 * (outside the default build, because its peers pull native libraries) and register through
 * {@code META-INF/services/org.ptlab.cli.Benchmark}.
 */
public interface Benchmark {
  /** The name on the command line: engine, attention, model. */
  String name();

  /** One line for {@code ptlab bench --help}. */
  String description();

  /** Runs the suite; progress to {@code log} (stderr); returns the result object printed as JSON. */
  ObjectNode run(BenchOptions options, PrintStream log) throws Exception;

  /** Options shared by all suites. */
  record BenchOptions(int threads, boolean quick, String only) {}
}
