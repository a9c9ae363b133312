package org.ptlab.spark;

import org.ptlab.lab.run.RunEngines;
import org.ptlab.lab.run.RunExecutor;

/** {@code --engine spark}: registered for {@link RunEngines} by {@code META-INF/services}. */
public final class SparkEngine implements RunEngines.Engine {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public RunExecutor open(String master, int slots) {
    return new SparkRunExecutor(master, slots);
  }
}
