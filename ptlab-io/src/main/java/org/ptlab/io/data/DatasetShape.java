package org.ptlab.io.data;

/**
 * Infers a dataset's metadata from its first example and checks that every later one agrees with it: same
 * input kind, same input width d, same target kind and width. Shared by the JSONL reader and
 * {@link Dataset#of}, so files and datasets built in code obey the same rules and messages.
 */
final class DatasetShape {
  private String first; // where the first example came from, e.g. "line 1"
  private InputKind inputKind;
  private TargetKind targetKind;
  private int inputDim;
  private int targetDim;
  private int maxLabel = -1;

  /** Records {@code ex} (found at {@code here}, e.g. "line 7"); returns what is wrong with it, or null. */
  String accept(Example ex, String here) {
    int exInputDim = ex.inputs() != null ? ex.inputs()[0].length : 0;
    int exTargetDim = targetDim(ex.target());
    if (first == null) {
      first = here;
      inputKind = ex.inputKind();
      targetKind = ex.target().kind();
      inputDim = exInputDim;
      targetDim = exTargetDim;
    } else if (ex.inputKind() != inputKind) {
      return "uses " + inputName(ex.inputKind()) + " but " + first + " uses " + inputName(inputKind)
          + "; every example needs the same kind of input";
    } else if (exInputDim != inputDim) {
      return "\"inputs\" rows have " + JsonlLine.numbers(exInputDim) + " but " + first + "'s have "
          + JsonlLine.numbers(inputDim);
    } else if (ex.target().kind() != targetKind) {
      return "has " + ex.target().kind().phrase() + " but " + first + " has " + targetKind.phrase()
          + "; every example needs the same kind of target";
    } else if (exTargetDim != targetDim) {
      String per = targetKind == TargetKind.PER_POSITION ? " per position" : " per sequence";
      return "\"target\" has " + JsonlLine.numbers(exTargetDim) + per + " but " + first + "'s has "
          + JsonlLine.numbers(targetDim);
    }
    maxLabel = Math.max(maxLabel, ex.label());
    return null;
  }

  boolean isEmpty() {
    return first == null;
  }

  /** The metadata of the accepted examples; call only if at least one was accepted. */
  Dataset.Meta meta() {
    return new Dataset.Meta(inputKind, inputDim, targetKind, maxLabel + 1, targetDim);
  }

  private static int targetDim(Target t) {
    if (t instanceof Target.PerSequence s) return s.dim();
    if (t instanceof Target.PerPosition p) return p.dim();
    return 0;
  }

  private static String inputName(InputKind kind) {
    return kind == InputKind.TOKENS ? "token ids (\"tokens\" or \"text\")" : "\"inputs\"";
  }
}
