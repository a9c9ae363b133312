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
}
