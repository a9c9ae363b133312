package org.ptlab.io.data;

/** The kind of {@link Target} every example of a dataset has. */
public enum TargetKind {
  /** Unlabelled: for inference or embedding. */
  NONE("no \"label\" or \"target\""),
  /** A class id, for a classification head with cross-entropy. */
  LABEL("a \"label\""),
  /** One vector per sequence, for regression on a pooled output. */
  PER_SEQUENCE("a per-sequence \"target\""),
  /** One vector per input position, for the papers' sequence-to-sequence memorization tasks. */
  PER_POSITION("a per-position \"target\""),
  /**
   * Per-token language-model labels with −100 for ignored positions (Hugging Face's {@code labels}, or a
   * {@code "prompt"}/{@code "completion"} pair scored on the completion only).
   */
  TOKEN_LABELS("per-token \"labels\" (or \"prompt\"/\"completion\")");

  private final String phrase;

  TargetKind(String phrase) {
    this.phrase = phrase;
  }

  /** How an error message names a line of this kind: "line 7 has a \"label\"". */
  String phrase() {
    return phrase;
  }
}
