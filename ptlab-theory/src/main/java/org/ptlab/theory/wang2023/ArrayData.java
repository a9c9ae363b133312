package org.ptlab.theory.wang2023;

/**
 * Checks for the plain-array datasets of this package: inputs [n][m_i][d] and targets [n][m_i][d], tokens as rows,
 * one target row per input position (the per-position regression data {@code ptlab tune} reads).
 */
final class ArrayData {
  private ArrayData() {}

  /** A one-line error naming the first example or row that does not fit width {@code d}. */
  static void check(double[][][] inputs, double[][][] targets, int d) {
    if (inputs.length == 0) throw new IllegalArgumentException("dataset: no examples");
    if (inputs.length != targets.length) {
      throw new IllegalArgumentException("dataset: " + inputs.length + " inputs but " + targets.length + " targets");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].length == 0 || inputs[i].length != targets[i].length) {
        throw new IllegalArgumentException("dataset: example " + i + " has " + inputs[i].length + " input rows and "
            + targets[i].length + " target rows");
      }
      for (int j = 0; j < inputs[i].length; j++) {
        if (inputs[i][j].length != d || targets[i][j].length != d) {
          throw new IllegalArgumentException("dataset: example " + i + " row " + j + " is not of width d = " + d);
        }
      }
    }
  }

  /** Σ_i m_i, the number of input positions ({@code ptlab eval}'s MSE divides by this times d). */
  static long positions(double[][][] inputs) {
    long n = 0;
    for (double[][] x : inputs) n += x.length;
    return n;
  }
}
