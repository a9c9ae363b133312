package org.ptlab.io.data;

import java.util.ArrayList;
import java.util.List;

/** Collects one-line problems while a whole file is checked, then throws one {@link DataException}. */
final class FileProblems {
  /** Enough to fix a file in one pass; a file that is bad everywhere would otherwise fill memory. */
  static final int MAX_KEPT = 100;

  private final List<String> kept = new ArrayList<>();
  private int count;

  void add(String where, String what) {
    count++;
    if (kept.size() < MAX_KEPT) kept.add(where + ": " + what);
  }

  boolean isEmpty() {
    return count == 0;
  }

  void throwIfAny() {
    if (count == 0) return;
    String message = kept.get(0);
    if (count > 1) message += " (and " + (count - 1) + " more problem" + (count > 2 ? "s" : "") + ")";
    throw new DataException(message, kept);
  }
}
