package org.ptlab.lab.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where results came from: recorded with every run and shown at the end of the report.
 *
 * @param commit git commit (the launcher passes {@code -Dptlab.commit}; "unknown" otherwise)
 * @param jvm JVM name and version
 * @param os operating system, version and architecture
 * @param cores processors the JVM sees
 * @param maxHeapMb the heap limit
 */
public record Provenance(String commit, String jvm, String os, int cores, long maxHeapMb) {
  /** This process. */
  public static Provenance current() {
    return new Provenance(System.getProperty("ptlab.commit", "unknown"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("commit", commit);
    m.put("jvm", jvm);
    m.put("os", os);
    m.put("cores", cores);
    m.put("max_heap_mb", maxHeapMb);
    return m;
  }
}
