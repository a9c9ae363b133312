package org.ptlab.io.data;

/**
 * One training example: exactly one of {@code tokens} (token ids, length m) or {@code inputs} (continuous
 * vectors [m, d]) is non-null, plus a {@link Target}. Arrays are not copied; treat them as read-only.
 *
 * @param tokens token ids, or null for continuous inputs
 * @param inputs continuous input rows [m, d], or null for token ids
 * @param target what the example should produce ({@link Target.None} if unlabelled)
 * @param text the text the tokens came from, or null
 * @param line the 1-based line of the file it was read from, or 0 if built in code (for error messages)
 */
public record Example(int[] tokens, double[][] inputs, Target target, String text, int line) {
  public Example {
    if ((tokens == null) == (inputs == null)) {
      throw new IllegalArgumentException("an example needs exactly one of tokens or inputs");
    }
    if (target == null) throw new IllegalArgumentException("target is null; use Target.None.INSTANCE");
    int length = tokens != null ? tokens.length : inputs.length; // fields are not assigned yet: use the parameters
    if (length == 0) throw new IllegalArgumentException("an example needs at least one position");
    if (inputs != null) {
      for (double[] row : inputs) {
        if (row.length == 0 || row.length != inputs[0].length) {
          throw new IllegalArgumentException("inputs must be a non-empty rectangular [m, d] array");
        }
      }
    }
    if (target instanceof Target.TokenLabels l && (tokens == null || l.labels().length != length)) {
      throw new IllegalArgumentException("per-token labels need token ids, one label per token");
    }
    if (target instanceof Target.PerPosition p && p.positions() != length) {
      throw new IllegalArgumentException("per-position target has " + p.positions() + " rows for " + length
          + " positions");
    }
  }

  /** Token ids with a class label, or {@code label = -1} for none. */
  public static Example ofTokens(int[] tokens, int label) {
    return new Example(tokens, null, label < 0 ? Target.None.INSTANCE : new Target.Label(label), null, 0);
  }

  public static Example ofTokens(int[] tokens, Target target) {
    return new Example(tokens, null, target, null, 0);
  }

  public static Example ofInputs(double[][] inputs, Target target) {
    return new Example(null, inputs, target, null, 0);
  }

  public InputKind inputKind() {
    return tokens != null ? InputKind.TOKENS : InputKind.VECTORS;
  }

  /** Sequence length m: number of tokens or of input rows. */
  public int length() {
    return tokens != null ? tokens.length : inputs.length;
  }

  /** The class id, or -1 if the example has no class label. */
  public int label() {
    return target.label();
  }
}
