package org.ptlab.lab.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptlab.io.Json;
import org.ptlab.lab.Experiment;
import org.ptlab.lab.GridSize;
import org.ptlab.lab.RunContext;
import org.ptlab.tensor.random.Rng;

/**
 * One run to execute: plain data (ids, JSON, numbers), so a cluster executor can ship it to another machine.
 *
 * @param experimentId e.g. "E1"
 * @param configJson canonical JSON of the config
 * @param configHash SHA-256 of {@code configJson}
 * @param repeat 0-based repeat index
 * @param seed the run's seed, derived from (experiment, config hash, repeat)
 * @param taskSeed derived from (experiment, repeat): shared by every config of that repeat
 */
public record RunTask(String experimentId, String configJson, String configHash, int repeat, long seed,
    long taskSeed) {
  /** The root of every derived seed: changing it changes every number PTLab reports. */
  static final long ROOT_SEED = 0x50544C6162L; // "PTLab"

  /** The store's key for this run. */
  public String key() {
    return key(configHash, repeat);
  }

  static String key(String configHash, int repeat) {
    return configHash + "#" + repeat;
  }

  public Map<String, Object> config() {
    return Json.parseMap(configJson);
  }

  /** The context handed to {@link Experiment#run}; the config is parsed back from JSON so every run sees alike. */
  public RunContext context() {
    return new RunContext(experimentId, config(), repeat, seed, taskSeed);
  }

  /** Every run of {@code e} at {@code size}: configs in grid order, repeats in order. */
  public static List<RunTask> plan(Experiment e, GridSize size) {
    List<RunTask> out = new ArrayList<>();
    int repeats = e.repeats(size);
    if (repeats < 1) throw new IllegalStateException(e.id() + ": repeats(" + size.label() + ") must be >= 1");
    long idHash = Json.hash64(e.id());
    for (Map<String, Object> cfg : e.grid(size)) {
      String json = Json.canonical(cfg);
      String hash = Json.sha256Hex(json);
      for (int rep = 0; rep < repeats; rep++) {
        long seed = Rng.derive(ROOT_SEED, idHash, Json.hash64(hash), rep).nextLong();
        long taskSeed = Rng.derive(ROOT_SEED, idHash, 0x7461736BL /* "task" */, rep).nextLong();
        out.add(new RunTask(e.id(), json, hash, rep, seed, taskSeed));
      }
    }
    return out;
  }
}
