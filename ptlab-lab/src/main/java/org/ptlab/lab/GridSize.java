package org.ptlab.lab;

import java.util.Locale;

/**
 * How big a grid to run. {@code QUICK} is the default of {@code ptlab reproduce}: every experiment's quick grid
 * together fits in 15 minutes on 2 cores (DESIGN.md). {@code FULL} is the paper-scale setting. {@code SMOKE} is
 * for tests only (a run or two per experiment, seconds in total); the CLI accepts it through a hidden option so
 * the end-to-end test stays fast, and its numbers mean nothing.
 */
public enum GridSize {
  SMOKE, QUICK, FULL;

  /** The lower-case name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code smoke|quick|full}; anything else names the bad value. */
  public static GridSize parse(String s) {
    for (GridSize v : values()) {
      if (v.label().equals(s)) return v;
    }
    throw new IllegalArgumentException("size must be one of smoke, quick, full; got '" + s + "'");
  }
}
