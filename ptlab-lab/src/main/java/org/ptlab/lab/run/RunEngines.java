package org.ptlab.lab.run;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where {@code ptlab reproduce --engine NAME} finds its executor: {@code in-process} here, any other engine (e.g.
 * {@code spark}, module ptlab-spark) through {@link ServiceLoader}, so the CLI and the lab never depend on Spark at
 * compile time.
 */
public final class RunEngines {
  private RunEngines() {}

  /** The default engine's name. */
  public static final String IN_PROCESS = "in-process";

  /** An engine other than in-process, registered in {@code META-INF/services/org.ptlab.lab.run.RunEngines$Engine}. */
  public interface Engine {
    /** The {@code --engine} value, e.g. "spark". */
    String name();

    /**
     * Starts the executor.
     *
     * @param master the cluster URL ({@code --master}), null for the engine's local default
     * @param slots runs in flight (≥ 1), or 0 for the engine's own choice
     */
    RunExecutor open(String master, int slots);
  }

  /**
   * Opens engine {@code name} with {@code threads} slots. A bad name, a {@code --master} for the in-process engine,
   * or an engine whose module is not on the classpath throw {@link IllegalArgumentException} with a one-line message.
   */
  public static RunExecutor open(String name, String master, int threads, boolean threadsGiven) {
    if (name == null || name.equals(IN_PROCESS)) {
      if (master != null) throw new IllegalArgumentException("--master needs --engine spark");
      return new InProcessExecutor(threads);
    }
    List<String> known = new ArrayList<>(List.of(IN_PROCESS));
    for (Engine e : ServiceLoader.load(Engine.class)) {
      if (e.name().equals(name)) return e.open(master, threadsGiven ? threads : 0);
      known.add(e.name());
    }
    if (name.equals("spark")) {
      throw new IllegalArgumentException("--engine spark: the ptlab-spark module is not on the classpath (run through "
          + "./ptlab, which builds it, or spark-submit ptlab-spark-0.1.0-all.jar)");
    }
    throw new IllegalArgumentException("--engine: unknown engine '" + name + "'; known: " + String.join(", ", known)
        + (known.contains("spark") ? "" : ", spark (module ptlab-spark)"));
  }
}
