package org.ptlab.io.data;

/**
 * What an {@link Example} should produce. A sealed type rather than nullable fields, so that "a class id" and
 * "a regression vector" cannot both be set and each kind carries exactly the data it needs.
 */
public sealed interface Target {
  TargetKind kind();

  /** The class id, or -1 if this is not a {@link Label}. */
  default int label() {
    return -1;
  }

  /** No target (an unlabelled example). */
  record None() implements Target {
    public static final None INSTANCE = new None();

    @Override
    public TargetKind kind() {
      return TargetKind.NONE;
    }
  }

  /** A class id in [0, numClasses). */
  record Label(int classId) implements Target {
    public Label {
      if (classId < 0) throw new IllegalArgumentException("class id must be non-negative, got " + classId);
    }

    @Override
    public TargetKind kind() {
      return TargetKind.LABEL;
    }

    @Override
    public int label() {
      return classId;
    }
  }

  /** One regression vector for the whole sequence. {@code values} is not copied. */
  record PerSequence(double[] values) implements Target {
    public PerSequence {
      if (values.length == 0) throw new IllegalArgumentException("target vector is empty");
    }

    @Override
    public TargetKind kind() {
      return TargetKind.PER_SEQUENCE;
    }

    public int dim() {
      return values.length;
    }
  }

  /**
   * One regression vector per input position: {@code values} is [positions, dim] row-major (not copied), the
   * same layout as a tensor row, so a batch copies it without reshaping.
   */
  record PerPosition(double[] values, int positions, int dim) implements Target {
    public PerPosition {
      if (positions <= 0 || dim <= 0 || values.length != (long) positions * dim) {
        throw new IllegalArgumentException("per-position target of " + values.length + " values does not have shape ["
            + positions + ", " + dim + "]");
      }
    }

    @Override
    public TargetKind kind() {
      return TargetKind.PER_POSITION;
    }

    /** Row {@code position}'s value {@code j}. */
    public double at(int position, int j) {
      return values[position * dim + j];
    }
  }

  /**
   * Hugging Face's causal-LM {@code labels}: one per input token, the token a language model should have read at
   * that position, or {@link #IGNORED} (−100) for a position the loss skips. As in {@code transformers}, the model
   * shifts them: the output at position i is scored against {@code labels[i + 1]}, so {@code labels[0]} is never
   * scored. {@code labels} is not copied.
   */
  record TokenLabels(int[] labels) implements Target {
    /** The label of a position the loss ignores (PyTorch's {@code ignore_index}, Hugging Face's convention). */
    public static final int IGNORED = -100;

    public TokenLabels {
      for (int l : labels) {
        if (l < 0 && l != IGNORED) throw new IllegalArgumentException("token label " + l + " is not -100 or an id");
      }
    }

    @Override
    public TargetKind kind() {
      return TargetKind.TOKEN_LABELS;
    }

    /** The first scored position past 0 (where an answer starts), or −1 if none is scored. */
    public int answerStart() {
      for (int i = 1; i < labels.length; i++) if (labels[i] != IGNORED) return i;
      return -1;
    }

    /** The answer: the labels of the first run of scored positions (what greedy generation should produce). */
    public int[] answer() {
      int from = answerStart();
      if (from < 0) return new int[0];
      int to = from;
      while (to < labels.length && labels[to] != IGNORED) to++;
      return java.util.Arrays.copyOfRange(labels, from, to);
    }
  }
}
