package org.ptlab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry: every {@link Experiment} on the classpath, found with {@link ServiceLoader}. Ids sort naturally
 * (D0, E1, E2, …, E10), which is the report's order.
 */
public final class Experiments {
  private Experiments() {}

  /** All registered experiments, by id; a duplicate id is a packaging bug and fails loudly. */
  public static List<Experiment> all() {
    Map<String, Experiment> byId = new LinkedHashMap<>();
    for (Experiment e : ServiceLoader.load(Experiment.class)) {
      Experiment prev = byId.putIfAbsent(e.id(), e);
      if (prev != null) {
        throw new IllegalStateException("two experiments with id " + e.id() + ": " + prev.getClass().getName()
            + " and " + e.getClass().getName());
      }
    }
    List<Experiment> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(Experiment::id, Experiments::compareIds));
    return out;
  }

  /**
   * The experiments named in {@code only} (comma-separated ids, e.g. "E1,E3"), or all when null/blank. An unknown
   * id throws {@link IllegalArgumentException} naming it and the known ids.
   */
  public static List<Experiment> select(List<Experiment> all, String only) {
    if (only == null || only.isBlank()) return all;
    List<Experiment> out = new ArrayList<>();
    for (String raw : only.split(",")) {
      String id = raw.strip();
      if (id.isEmpty()) continue;
      Experiment found = all.stream().filter(e -> e.id().equalsIgnoreCase(id)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("--only: unknown experiment '" + id + "'; known: "
              + String.join(", ", all.stream().map(Experiment::id).toList())));
      if (!out.contains(found)) out.add(found);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("--only: no experiment ids in '" + only + "'");
    out.sort(Comparator.comparing(Experiment::id, Experiments::compareIds));
    return out;
  }

  /** Letter prefix first, then the number: D0 < E1 < E2 < E10. */
  static int compareIds(String a, String b) {
    String pa = a.replaceAll("[0-9]+$", "");
    String pb = b.replaceAll("[0-9]+$", "");
    if (!pa.equals(pb)) return pa.compareTo(pb);
    String na = a.substring(pa.length());
    String nb = b.substring(pb.length());
    if (na.isEmpty() || nb.isEmpty()) return a.compareTo(b);
    return Long.compare(Long.parseLong(na), Long.parseLong(nb));
  }
}
